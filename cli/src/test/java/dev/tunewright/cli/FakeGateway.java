package dev.tunewright.cli;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An API that answers every request with one canned response (or, for paths given to {@link #route}, that path's own)
 * and remembers what it was asked.
 */
final class FakeGateway implements AutoCloseable {

    record Request(String method, String path, String authorization, String body, String query) {
    }

    private record Canned(int status, byte[] body, String contentType) {
    }

    private final HttpServer server;
    final List<Request> requests = new ArrayList<>();
    private volatile int status = 200;
    private volatile String response = "{}";
    private final java.util.Map<String, Canned> routes = new java.util.concurrent.ConcurrentHashMap<>();

    FakeGateway() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            synchronized (requests) {
                requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                        exchange.getRequestHeaders().getFirst("Authorization"), body, exchange.getRequestURI().getRawQuery()));
            }
            Canned canned = routes.getOrDefault(exchange.getRequestURI().getRawPath(),
                    new Canned(status, response.getBytes(StandardCharsets.UTF_8), "application/json"));
            byte[] bytes = canned.body();
            exchange.getResponseHeaders().add("Content-Type", canned.contentType());
            exchange.sendResponseHeaders(canned.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    void respond(int status, String json) {
        this.status = status;
        this.response = json;
    }

    /** Answers requests for exactly {@code path} with this response instead of the canned one. */
    void route(String path, int status, byte[] body, String contentType) {
        routes.put(path, new Canned(status, body, contentType));
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    Request lastRequest() {
        synchronized (requests) {
            return requests.get(requests.size() - 1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
