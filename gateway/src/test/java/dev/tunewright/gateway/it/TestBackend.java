package dev.tunewright.gateway.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tunewright.common.identity.IdentityRejectedException;
import dev.tunewright.common.identity.IdentitySigner;
import dev.tunewright.common.identity.TeamIdentity;
import dev.tunewright.testing.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

/**
 * A stand-in service behind the gateway: a JDK HTTP server on a free port that checks the signed identity as a real
 * service would and reports what it saw. Routes dataset and trainer prefixes to it; eval to a port nobody listens on.
 *
 * <p>Tests coordinate with it over HTTP ({@code /control/...}, called directly, not through the gateway) rather than
 * through static fields, because test resources and tests may live in different class loaders.
 */
public class TestBackend implements QuarkusTestResourceLifecycleManager {

    /** Counted down by the upload handler once the first bytes of a body arrived. */
    private final CountDownLatch uploadStarted = new CountDownLatch(1);
    /** Counted down by the test once it received the first SSE event. */
    private final CountDownLatch firstEventReceived = new CountDownLatch(1);

    private static final IdentitySigner VERIFIER =
            new IdentitySigner(InfrastructureResource.IDENTITY_SECRET, Duration.ofSeconds(300));

    /** While armed, {@code POST /v1/files} waits for release before answering: uploads in flight, as long as a test likes. */
    private volatile CountDownLatch uploadGate = new CountDownLatch(0);
    private final AtomicInteger heldUploads = new AtomicInteger();

    private HttpServer server;
    private ExecutorService executor;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        executor = Executors.newCachedThreadPool();
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        return Map.of(
                "test.backend.url", url,
                "tunewright.gateway.routes.dataset.url", url,
                "tunewright.gateway.routes.trainer.url", url,
                "tunewright.gateway.routes.eval.url", "http://127.0.0.1:" + closedPort());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (path.equals("/control/upload-started")) {
                control(exchange, await(uploadStarted));
            } else if (path.equals("/control/first-event-received")) {
                firstEventReceived.countDown();
                control(exchange, true);
            } else if (path.equals("/control/hold-uploads")) {
                uploadGate = new CountDownLatch(1);
                control(exchange, true);
            } else if (path.equals("/control/release-uploads")) {
                uploadGate.countDown();
                control(exchange, true);
            } else if (path.equals("/control/held-uploads")) {
                exchange.getRequestBody().readAllBytes();
                byte[] count = String.valueOf(heldUploads.get()).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, count.length);
                exchange.getResponseBody().write(count);
            } else if (path.equals("/v1/files") && exchange.getRequestMethod().equals("POST")) {
                heldUpload(exchange, path);
            } else if (path.equals("/v1/files/upload")) {
                upload(exchange);
            } else if (path.endsWith("/events")) {
                events(exchange);
            } else {
                echo(exchange, path);
            }
        }
    }

    /** Reads the body, then waits while uploads are held ({@code /control/hold-uploads}) before it echoes. */
    private void heldUpload(HttpExchange exchange, String path) throws IOException {
        exchange.getRequestBody().readAllBytes();
        heldUploads.incrementAndGet();
        try {
            await(uploadGate);
        } finally {
            heldUploads.decrementAndGet();
        }
        echo(exchange, path);
    }

    /** Reports the identity it verified, the headers it got and the path, as JSON. */
    private void echo(HttpExchange exchange, String path) throws IOException {
        exchange.getRequestBody().readAllBytes();
        List<String> identities = exchange.getRequestHeaders().getOrDefault(IdentitySigner.HEADER, List.of());
        String verified;
        try {
            TeamIdentity team = VERIFIER.verify(identities.size() == 1 ? identities.get(0) : null,
                    exchange.getRequestMethod(), IdentitySigner.target(path, exchange.getRequestURI().getRawQuery()));
            verified = team.teamId() + "/" + team.teamName();
        } catch (IdentityRejectedException e) {
            verified = "rejected: " + e.getMessage();
        }
        String json = "{\"path\":\"" + path + "\",\"method\":\"" + exchange.getRequestMethod()
                + "\",\"verified\":\"" + verified + "\",\"identity_headers\":" + identities.size()
                + ",\"request_id\":\"" + exchange.getRequestHeaders().getFirst("X-Request-Id")
                + "\",\"authorization\":" + exchange.getRequestHeaders().containsKey("Authorization")
                + ",\"query\":\"" + exchange.getRequestURI().getRawQuery() + "\"}";
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("X-Request-Id", "backend-echo-must-not-duplicate");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
    }

    /** Reads the body as it streams in, announcing the first bytes, and answers its length and CRC32. */
    private void upload(HttpExchange exchange) throws IOException {
        InputStream in = exchange.getRequestBody();
        byte[] buffer = new byte[64 * 1024];
        CRC32 crc = new CRC32();
        long total = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            if (total == 0) {
                uploadStarted.countDown();
            }
            crc.update(buffer, 0, n);
            total += n;
        }
        byte[] body = ("{\"bytes\":" + total + ",\"crc32\":" + crc.getValue() + "}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
    }

    /** Sends one event, then waits for the test to confirm it arrived before sending the rest. */
    private void events(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        out.write("event: progress\ndata: {\"step\":1}\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        if (!await(firstEventReceived)) {
            out.write("event: error\ndata: first event never reached the client\n\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        for (int step = 2; step <= 3; step++) {
            out.write(("event: progress\ndata: {\"step\":" + step + "}\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
        out.write("event: done\ndata: {}\n\n".getBytes(StandardCharsets.UTF_8));
    }

    private static void control(HttpExchange exchange, boolean ok) throws IOException {
        exchange.getRequestBody().readAllBytes();
        exchange.sendResponseHeaders(ok ? 200 : 504, -1);
    }

    private static boolean await(CountDownLatch latch) {
        try {
            return latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A port that was free a moment ago and has nobody listening: the "backend down" case. */
    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
