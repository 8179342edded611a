package dev.tunewright.eval.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tunewright.common.identity.IdentitySigner;
import dev.tunewright.common.identity.TeamIdentity;
import dev.tunewright.testing.InfrastructureResource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * What the gateway does for a request, in front of the service under test: an API key ({@code Authorization:
 * Bearer}) becomes the team's signed identity header for exactly that method and path, and the request and the
 * response stream through unbuffered (Server-Sent Events arrive as they are written). Lets OpenAI clients (the
 * official SDK, and the evaluator's own reference client) call the service as they would call the platform.
 */
public final class TestGateway implements AutoCloseable {

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "host", "transfer-encoding",
            "authorization", "upgrade", "expect", "keep-alive");

    private final HttpServer server;
    private final URI backend;
    private final IdentitySigner signer = new IdentitySigner(InfrastructureResource.IDENTITY_SECRET, Duration.ofMinutes(5));
    private final Map<String, TeamIdentity> keys = new ConcurrentHashMap<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public TestGateway(URI backend) throws IOException {
        this.backend = backend;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-gateway");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::forward);
        server.start();
    }

    /** The base URL OpenAI clients are given ({@code http://127.0.0.1:port/v1}). */
    public String openAiBaseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** Makes {@code key} authenticate as {@code team}. */
    public TestGateway key(String key, TeamIdentity team) {
        keys.put(key, team);
        return this;
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            TeamIdentity team = authorization != null && authorization.startsWith("Bearer ")
                    ? keys.get(authorization.substring(7).strip()) : null;
            if (team == null) {
                byte[] body = "{\"error\":{\"message\":\"invalid API key\",\"type\":\"authentication_error\",\"param\":null,\"code\":\"invalid_api_key\"}}"
                        .getBytes();
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(401, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            URI uri = exchange.getRequestURI();
            String method = exchange.getRequestMethod();
            String target = IdentitySigner.target(uri.getRawPath(), uri.getRawQuery());
            HttpRequest.Builder request = HttpRequest.newBuilder(backend.resolve(target))
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(exchange.getRequestBody().readAllBytes()))
                    .header(IdentitySigner.HEADER, signer.sign(team, method, target));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.equalsIgnoreCase(IdentitySigner.HEADER)) {
                    values.forEach(v -> request.header(name, v));
                }
            });
            HttpResponse<InputStream> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            response.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, List.copyOf(values));
                }
            });
            exchange.sendResponseHeaders(response.statusCode(), 0);
            try (InputStream in = response.body(); OutputStream out = exchange.getResponseBody()) {
                byte[] buffer = new byte[8192];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
