package dev.tunewright.common.rest;

import dev.tunewright.common.identity.IdentityFilter;
import dev.tunewright.common.identity.IdentityKeys;
import dev.tunewright.common.identity.IdentityRejectedException;
import dev.tunewright.common.identity.IdentitySigner;
import dev.tunewright.common.identity.TeamIdentity;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * The first route of every service and of the gateway, ahead of every other route and of any body handling: refuses
 * unsafe paths ({@link SafePaths}) before anything decides by path, and (where identity is enforced, in services)
 * checks the gateway's signed identity header before a byte of the body is read. A refused request is answered and
 * its connection closed, so an upload nobody may make costs its headers, not its body.
 */
@ApplicationScoped
public class RequestGuard {

    /** The route order; routes that must run after the identity check but before the body use a higher one. */
    public static final int ORDER = Integer.MIN_VALUE;
    /** Routing-context key of the {@link TeamIdentity} the header named, for {@link IdentityFilter}. */
    public static final String TEAM = "tunewright.identity.team";

    private static final Logger LOG = Logger.getLogger(RequestGuard.class);

    void install(@Observes Router router, IdentityKeys keys) {
        router.route().order(ORDER).handler(ctx -> guard(ctx, keys));
    }

    static void guard(RoutingContext ctx, IdentityKeys keys) {
        HttpServerRequest request = ctx.request();
        String path = request.path();
        if (!SafePaths.isSafe(path)) {
            refuse(ctx, 400, SafePaths.refusal());
            return;
        }
        if (keys.enforce() && !IdentityFilter.isOpen(path)) {
            try {
                ctx.put(TEAM, keys.signer().verify(request.getHeader(IdentitySigner.HEADER), request.method().name(),
                        IdentitySigner.target(path, request.query())));
            } catch (IdentityRejectedException e) {
                LOG.debugf("rejected %s %s: %s", request.method(), LogText.quote(path), e.getMessage());
                refuse(ctx, 401, IdentityFilter.rejection(e));
                return;
            }
        }
        ctx.next();
    }

    /** Answers now and closes the connection, leaving any body unread. */
    private static void refuse(RoutingContext ctx, int status, ApiError error) {
        HttpServerRequest request = ctx.request();
        String requestId = RequestIdFilter.acceptOrGenerate(request.getHeader(RequestIdFilter.HEADER));
        ctx.response().setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .putHeader(RequestIdFilter.HEADER, requestId)
                .putHeader("Connection", "close")
                .end(error.toJson())
                .onComplete(done -> {
                    if (request.version() == HttpVersion.HTTP_2) {
                        ctx.response().reset();
                    } else {
                        request.connection().close();
                    }
                });
    }
}
