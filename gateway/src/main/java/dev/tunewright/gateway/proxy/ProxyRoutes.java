package dev.tunewright.gateway.proxy;

import dev.tunewright.common.identity.IdentityKeys;
import dev.tunewright.common.identity.IdentitySigner;
import dev.tunewright.common.identity.TeamIdentity;
import dev.tunewright.common.rest.ApiError;
import dev.tunewright.common.rest.RequestIdFilter;
import dev.tunewright.gateway.config.GatewayConfig;
import dev.tunewright.gateway.rest.ApiKeyFilter;
import dev.tunewright.gateway.service.ApiKeyAuthenticator;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
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
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The public {@code /v1} surface: authenticates the API key, then streams the request to the backend of its path
 * prefix and the response back, both ways without buffering (uploads of any size, Server-Sent Events).
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

    private final Vertx vertx;
    private final GatewayConfig config;
    private final IdentityKeys identityKeys;
    private final ApiKeyAuthenticator authenticator;
    private final RouteTable routes;
    private HttpClient client;

    public ProxyRoutes(Vertx vertx, GatewayConfig config, IdentityKeys identityKeys,
            ApiKeyAuthenticator authenticator) {
        this.vertx = vertx;
        this.config = config;
        this.identityKeys = identityKeys;
        this.authenticator = authenticator;
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
                forward(request, backend.get(), result.result().get(), requestId);
            }
        });
    }

    private void forward(HttpServerRequest request, RouteTable.Backend backend, TeamIdentity team,
            String requestId) {
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
                        vertx, config.bodyWindow(), config.minBodyBytes())))
                .handle(request);
    }

    private static void fail(HttpServerRequest request, String requestId, int status, ApiError error) {
        // Let an unread body drain instead of stalling the connection.
        request.resume();
        if (!request.response().ended()) {
            request.response()
                    .setStatusCode(status)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .putHeader(RequestIdFilter.HEADER, requestId)
                    .end(error.toJson());
        }
    }

    @PreDestroy
    void close() {
        if (client != null) {
            client.close();
        }
    }
}
