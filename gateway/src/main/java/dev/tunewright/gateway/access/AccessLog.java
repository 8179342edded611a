package dev.tunewright.gateway.access;

import dev.tunewright.common.rest.LogText;
import dev.tunewright.common.rest.RequestGuard;
import dev.tunewright.common.rest.RequestIdFilter;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * One line per request the gateway receives, refused ones included, in category {@value #CATEGORY}:
 *
 * <pre>
 * request_id=8f0c... team=acme method=GET path="/v1/files/file-1?limit=5" status=200 bytes_in=0 bytes_out=512 duration_ms=4
 * </pre>
 *
 * <p>Everything a client chose (path, query, method) is quoted and escaped ({@link LogText}), so no request can break a
 * line or forge one. {@code team} is the team the API key resolved to, {@code -} before or without authentication and
 * {@code (admin)} for the admin API; {@code aborted=true} marks an exchange whose connection closed before the
 * response was complete. The route runs ahead of the common {@link RequestGuard} (same order, registered first), so
 * refused paths are logged too, and it fixes the request id for everything after it: a client's id when it is
 * acceptable, a new one otherwise, written back into the request so the proxy, the guard and the services agree.
 */
@ApplicationScoped
public class AccessLog {

    public static final String CATEGORY = "dev.tunewright.gateway.access";
    /** Routing-context key of the team name, set once the API key is resolved. */
    public static final String TEAM = "tunewright.gateway.team";
    public static final String ADMIN = "(admin)";

    private static final Logger LOG = Logger.getLogger(CATEGORY);
    private static final Pattern PLAIN_METHOD = Pattern.compile("[A-Z]{1,16}");

    /** Observed before the request guard's installer (default priority), so this route is first of its order. */
    void install(@Observes @Priority(100) Router router) {
        router.route().order(RequestGuard.ORDER).handler(this::handle);
    }

    void handle(RoutingContext ctx) {
        long started = System.nanoTime();
        HttpServerRequest request = ctx.request();
        String requestId = RequestIdFilter.acceptOrGenerate(request.getHeader(RequestIdFilter.HEADER));
        request.headers().set(RequestIdFilter.HEADER, requestId);
        ctx.addEndHandler(done -> {
            if (LOG.isInfoEnabled()) {
                LOG.info(line(ctx, requestId, started));
            }
        });
        ctx.next();
    }

    /** Notes the team a request acts for, for its log line. */
    public static void team(RoutingContext ctx, String teamName) {
        ctx.put(TEAM, teamName);
    }

    static String line(RoutingContext ctx, String requestId, long startedNanos) {
        HttpServerRequest request = ctx.request();
        HttpServerResponse response = ctx.response();
        String method = request.method().name();
        String team = ctx.get(TEAM);
        StringBuilder line = new StringBuilder(160)
                .append("request_id=").append(requestId)
                // team names are plain by construction (TeamService.TEAM_NAME)
                .append(" team=").append(team == null ? "-" : team)
                .append(" method=").append(PLAIN_METHOD.matcher(method).matches() ? method : LogText.quote(method))
                .append(" path=").append(LogText.quote(request.query() == null ? request.path()
                        : request.path() + "?" + request.query()))
                .append(" status=").append(response.getStatusCode())
                .append(" bytes_in=").append(request.bytesRead())
                .append(" bytes_out=").append(response.bytesWritten())
                .append(" duration_ms=").append(String.format(Locale.ROOT, "%.1f", (System.nanoTime() - startedNanos) / 1e6));
        if (!response.ended()) {
            line.append(" aborted=true");
        }
        return line.toString();
    }
}
