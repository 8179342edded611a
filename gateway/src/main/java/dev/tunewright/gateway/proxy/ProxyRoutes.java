package dev.tunewright.gateway.proxy;

import dev.tunewright.common.identity.IdentityKeys;
import dev.tunewright.common.identity.IdentitySigner;
import dev.tunewright.common.identity.TeamIdentity;
import dev.tunewright.common.rest.ApiError;
import dev.tunewright.common.rest.RequestIdFilter;
import dev.tunewright.gateway.access.AccessLog;
import dev.tunewright.gateway.config.GatewayConfig;
import dev.tunewright.gateway.limits.BodyLimits;
import dev.tunewright.gateway.limits.TeamLimits;
import dev.tunewright.gateway.rest.ApiKeyFilter;
import dev.tunewright.gateway.service.ApiKeyAuthenticator;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.httpproxy.HttpProxy;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The public {@code /v1} surface: authenticates the API key, holds the team to its limits (request rate, body size,
 * concurrent uploads: 429 with {@code Retry-After}, 413 naming the limit), then streams the request to the backend of
 * its path prefix and the response back, both ways without buffering (uploads of any size, Server-Sent Events).
 *
 * <p>Runs on the Vert.x router ahead of Quarkus REST; only the gateway's own {@code /v1} endpoints are passed on
 * to it. The key lookup is blocking (database, on a cache miss), so it runs on a worker thread while the request
 * stays paused; nothing of the body is read before the proxy pipes it. Paths arrive here already checked by the
 * common {@link dev.tunewright.common.rest.RequestGuard}: the prefix matched is the path the backend serves.
 */
@ApplicationScoped
public class ProxyRoutes {

    private static final Logger LOG = Logger.getLogger(ProxyRoutes.class);
    /** {@code /v1} paths that Quarkus REST serves in the gateway itself. */
    static final Set<String> LOCAL_PATHS = Set.of("/v1/me");
    static final String RETRY_AFTER = "Retry-After";
    /** What a client is told to wait for an upload slot; uploads take seconds to hours, so this is a polling pace. */
    static final long UPLOAD_RETRY_SECONDS = 5;
    /** Bodies up to this size are read and dropped after an early answer, keeping the connection; larger ones close it. */
    static final long DRAIN_LIMIT = 64 * 1024;

    private final Vertx vertx;
    private final GatewayConfig config;
    private final IdentityKeys identityKeys;
    private final ApiKeyAuthenticator authenticator;
    private final RouteTable routes;
    private final TeamLimits limits;
    private final BodyLimits bodyLimits;
    private final Set<String> uploadPaths;
    private HttpClient client;

    public ProxyRoutes(Vertx vertx, GatewayConfig config, IdentityKeys identityKeys,
            ApiKeyAuthenticator authenticator) {
        this.vertx = vertx;
        this.config = config;
        this.identityKeys = identityKeys;
        this.authenticator = authenticator;
        GatewayConfig.Limits settings = config.limits();
        this.limits = new TeamLimits(settings.requestsPerMinute(), settings.requestBurst(), settings.concurrentUploads(),
                System::nanoTime);
        this.bodyLimits = BodyLimits.of(settings.maxBody().asLongValue(), settings.bodyLimits());
        this.uploadPaths = settings.uploadPaths().stream()
                .map(p -> RouteTable.prefix("tunewright.gateway.limits.upload-paths", p))
                .collect(Collectors.toUnmodifiableSet());
        Map<String, Map.Entry<String, List<String>>> table = new LinkedHashMap<>();
        config.routes().forEach((name, route) -> table.put(name, Map.entry(route.url(), route.prefixes())));
        this.routes = RouteTable.of(table);
    }

    /** Every backend of the route table, once each. */
    List<RouteTable.Backend> backends() {
        return routes.backends();
    }

    void init(@Observes Router router) {
        client = vertx.createHttpClient(new HttpClientOptions()
                        .setConnectTimeout((int) config.connectTimeout().toMillis())
                        .setKeepAlive(true)
                        .setIdleTimeout(0),
                new PoolOptions().setHttp1MaxSize(config.maxConnectionsPerBackend()));
        router.route("/v1/*").order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).handler(this::handle);
        LOG.infof("proxying to %s", routes.backends());
    }

    void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String path = request.path();
        if (LOCAL_PATHS.contains(path)) {
            ctx.next();
            return;
        }
        // The access log fixed the request id; this only repeats its choice.
        String requestId = RequestIdFilter.acceptOrGenerate(request.getHeader(RequestIdFilter.HEADER));
        // Each request runs on its own duplicated Vert.x context, which is where Quarkus keeps the MDC.
        MDC.put(RequestIdFilter.MDC_KEY, requestId);
        Optional<RouteTable.Backend> backend = routes.match(path);
        if (backend.isEmpty()) {
            fail(request, requestId, 404, ApiError.of("invalid_request_error", "unknown_url", null,
                    "unknown URL " + request.method() + " " + path));
            return;
        }
        request.pause();
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        vertx.executeBlocking(() -> authenticator.authenticate(authorization), false).onComplete(result -> {
            if (result.failed()) {
                LOG.errorf(result.cause(), "key lookup failed for request %s", requestId);
                fail(request, requestId, 500, ApiError.of("server_error", "internal_error", null,
                        "internal server error (request id " + requestId + ")"));
            } else if (result.result().isEmpty()) {
                fail(request, requestId, 401, ApiKeyFilter.invalidKey());
            } else {
                TeamIdentity team = result.result().get();
                AccessLog.team(ctx, team.teamName());
                admit(ctx, backend.get(), team, requestId);
            }
        });
    }

    /** The team's limits, in the order that costs a client least: rate, declared body size, upload slots. */
    private void admit(RoutingContext ctx, RouteTable.Backend backend, TeamIdentity team, String requestId) {
        HttpServerRequest request = ctx.request();
        String path = request.path();
        Optional<Long> wait = limits.tryRequest(team.teamId());
        if (wait.isPresent()) {
            request.response().putHeader(RETRY_AFTER, String.valueOf(wait.get()));
            fail(request, requestId, 429, ApiError.of(ApiError.typeFor(429), "rate_limit_exceeded", null,
                    "team " + team.teamName() + " is over its limit of " + limits.requestsPerMinute()
                            + " requests a minute (tunewright.gateway.limits.requests-per-minute); retry in "
                            + wait.get() + " s (request id " + requestId + ")"));
            return;
        }
        long maxBody = bodyLimits.limit(path);
        long declared = declaredLength(request);
        if (maxBody != BodyLimits.NONE && declared > maxBody) {
            fail(request, requestId, 413, ApiError.of("invalid_request_error", "request_too_large", null,
                    "the request body is " + declared + " bytes, larger than " + BodyLimits.describe(maxBody)
                            + ", the limit of this path (" + bodyLimits.source(path) + "; request id " + requestId
                            + ")"));
            return;
        }
        if (isUpload(request)) {
            Optional<TeamLimits.UploadSlot> taken = limits.tryUpload(team.teamId());
            if (taken.isEmpty()) {
                request.response().putHeader(RETRY_AFTER, String.valueOf(UPLOAD_RETRY_SECONDS));
                fail(request, requestId, 429, ApiError.of(ApiError.typeFor(429), "too_many_uploads", null,
                        "team " + team.teamName() + " has " + limits.concurrentUploads() + " uploads in flight, the most"
                                + " it may (tunewright.gateway.limits.concurrent-uploads); retry once one finished"
                                + " (request id " + requestId + ")"));
                return;
            }
            ctx.addEndHandler(done -> taken.get().release());
        }
        forward(request, backend, team, requestId, maxBody, bodyLimits.source(path));
    }

    private boolean isUpload(HttpServerRequest request) {
        return request.method() == HttpMethod.POST && uploadPaths.contains(request.path());
    }

    /** The Content-Length a request announced, or -1 (none, or chunked). */
    private static long declaredLength(HttpServerRequest request) {
        String value = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void forward(HttpServerRequest request, RouteTable.Backend backend, TeamIdentity team, String requestId,
            long maxBody, String limitSource) {
        String identity = identityKeys.signer().sign(team, request.method().name(),
                IdentitySigner.target(request.path(), request.query()));
        RequestOptions origin = new RequestOptions()
                .setServer(SocketAddress.inetSocketAddress(backend.port(), backend.host()))
                .setHost(backend.host())
                .setPort(backend.port())
                .setSsl(backend.ssl());
        HttpProxy.reverseProxy(client)
                .origin(context -> context.client().request(origin))
                .addInterceptor(new ForwardingInterceptor(backend, identity, requestId, new ForwardingInterceptor.BodyWatch(
                        vertx, config.bodyWindow(), config.minBodyBytes(), maxBody, limitSource)))
                .handle(request);
    }

    /**
     * Answers an error before anything was forwarded. A small announced body is drained so the connection can be
     * reused; a large or unannounced one, or one refused for its size (413), is left unread and the connection
     * closed, so a refused upload costs its headers only.
     */
    private static void fail(HttpServerRequest request, String requestId, int status, ApiError error) {
        if (request.response().ended()) {
            return;
        }
        long declared = declaredLength(request);
        boolean drain = status != 413
                && (!hasBody(request) || request.isEnded() || declared >= 0 && declared <= DRAIN_LIMIT);
        HttpServerResponse response = request.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(RequestIdFilter.HEADER, requestId);
        if (drain) {
            request.resume();
            response.end(error.toJson());
            return;
        }
        response.putHeader(HttpHeaders.CONNECTION, "close").end(error.toJson()).onComplete(done -> {
            if (request.version() == HttpVersion.HTTP_2) {
                response.reset();
            } else {
                request.connection().close();
            }
        });
    }

    private static boolean hasBody(HttpServerRequest request) {
        return request.getHeader(HttpHeaders.CONTENT_LENGTH) != null || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
    }

    @PreDestroy
    void close() {
        if (client != null) {
            client.close();
        }
    }
}
