package dev.tunewright.gateway.proxy;

import dev.tunewright.common.identity.IdentitySigner;
import dev.tunewright.common.rest.ApiError;
import dev.tunewright.common.rest.RequestIdFilter;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;
import org.jboss.logging.Logger;

/**
 * Per-request header work of the proxy: the backend sees the gateway's signed identity and never the client's API
 * key or a forged identity; the client always gets the request id back, and a JSON 502 when the backend is down.
 * Touches headers only, so bodies keep streaming through untouched.
 */
final class ForwardingInterceptor implements ProxyInterceptor {

    private static final Logger LOG = Logger.getLogger(ForwardingInterceptor.class);

    private final RouteTable.Backend backend;
    private final String identity;
    private final String requestId;

    ForwardingInterceptor(RouteTable.Backend backend, String identity, String requestId) {
        this.backend = backend;
        this.identity = identity;
        this.requestId = requestId;
    }

    @Override
    public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
        MultiMap headers = context.request().headers();
        headers.remove(HttpHeaders.AUTHORIZATION);
        headers.remove(IdentitySigner.HEADER);
        headers.set(IdentitySigner.HEADER, identity);
        headers.set(RequestIdFilter.HEADER, requestId);
        return context.sendRequest().recover(failure -> {
            LOG.warnf("backend %s unreachable for request %s: %s", backend, requestId, failure.getMessage());
            ApiError error = ApiError.of("server_error", "backend_unavailable", null,
                    "the " + backend.name() + " service is unavailable, try again later (request id " + requestId
                            + ")");
            ProxyResponse response = context.request().release().response()
                    .setStatusCode(502)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .setBody(Body.body(Buffer.buffer(error.toJson())));
            return Future.succeededFuture(response);
        });
    }

    @Override
    public Future<Void> handleProxyResponse(ProxyContext context) {
        context.response().headers().set(RequestIdFilter.HEADER, requestId);
        return context.sendResponse();
    }
}
