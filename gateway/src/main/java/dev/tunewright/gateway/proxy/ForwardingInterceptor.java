package dev.tunewright.gateway.proxy;

import dev.tunewright.common.identity.IdentitySigner;
import dev.tunewright.common.rest.ApiError;
import dev.tunewright.common.rest.RequestIdFilter;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Per-request work of the proxy: the backend sees the gateway's signed identity and never the client's API key or a
 * forged identity; the client always gets the request id back, a JSON 502 when the backend is down, and a JSON 408
 * or 413 (with the connection closed) when it stops sending its body or sends more than the path allows
 * ({@link WatchedBody}). Bodies keep streaming through untouched.
 */
final class ForwardingInterceptor implements ProxyInterceptor {

    private static final Logger LOG = Logger.getLogger(ForwardingInterceptor.class);

    private final RouteTable.Backend backend;
    private final String identity;
    private final String requestId;
    private final BodyWatch watch;
    private WatchedBody body;

    /**
     * How a request body is watched: the window and the bytes each window must bring, the most it may bring
     * ({@code BodyLimits.NONE} for no limit) and the setting that says so.
     */
    record BodyWatch(Vertx vertx, Duration window, long minBytes, long maxBytes, String limitSource) {
    }

    ForwardingInterceptor(RouteTable.Backend backend, String identity, String requestId, BodyWatch watch) {
        this.backend = backend;
        this.identity = identity;
        this.requestId = requestId;
        this.watch = watch;
    }

    @Override
    public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
        MultiMap headers = context.request().headers();
        headers.remove(HttpHeaders.AUTHORIZATION);
        headers.remove(IdentitySigner.HEADER);
        headers.set(IdentitySigner.HEADER, identity);
        headers.set(RequestIdFilter.HEADER, requestId);
        Body original = context.request().getBody();
        if (original != null) {
            body = new WatchedBody(original.stream(), watch.vertx(), watch.window(), watch.minBytes(), watch.maxBytes(),
                    watch.limitSource());
            context.request().setBody(Body.body(body, original.length()));
        }
        return context.sendRequest().recover(failure -> {
            if (body != null && body.failure() != null) {
                WatchedBody.Refused refused = body.failure();
                LOG.infof("request %s to %s cut off: %s", requestId, backend, refused.getMessage());
                ApiError error = ApiError.of("invalid_request_error", refused.code(), null,
                        refused.getMessage() + " (request id " + requestId + ")");
                return Future.succeededFuture(context.request().release().response().setStatusCode(refused.status())
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .setBody(Body.body(Buffer.buffer(error.toJson()))));
            }
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
        Future<Void> sent = context.sendResponse();
        if (body != null && body.failure() != null) {
            // The rest of the body is not wanted: close instead of waiting for it.
            HttpServerRequest client = context.request().proxiedRequest();
            return sent.onComplete(done -> {
                if (client.version() == HttpVersion.HTTP_2) {
                    client.response().reset();
                } else {
                    client.connection().close();
                }
            });
        }
        return sent;
    }
}
