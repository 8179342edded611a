package dev.tunewright.engine.hub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A local HTTP server speaking the hub's public file API for one tiny repository. */
final class FakeHub implements AutoCloseable {

    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    record File(byte[] bytes, boolean lfs) {
    }

    final Map<String, File> files = new LinkedHashMap<>();
    final List<String> extraSiblings = new ArrayList<>();
    final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    final List<String> ranges = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger breaksLeft = new AtomicInteger();
    volatile String requiredToken;
    volatile boolean redirectLfsToOtherHost;
    final List<String> cdnAuthorization = Collections.synchronizedList(new ArrayList<>());
    volatile String listedShaOverride;
    volatile Long listedSizeOverride;
    private final String repo;
    private final HttpServer server;

    FakeHub(String repo) throws IOException {
        this.repo = repo;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        requests.add(path);
        try (ex) {
            if (path.startsWith("/cdn/")) {
                cdnAuthorization.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
                serveFile(ex, files.get(path.substring("/cdn/".length())).bytes());
                return;
            }
            if (requiredToken != null
                    && !("Bearer " + requiredToken).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                send(ex, 401, "{\"error\": \"Invalid credentials\"}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (path.equals("/api/models/" + repo + "/revision/main") || path.equals("/api/models/" + repo + "/revision/" + COMMIT)) {
                send(ex, 200, listing().getBytes(StandardCharsets.UTF_8));
                return;
            }
            String prefix = "/" + repo + "/resolve/" + COMMIT + "/";
            if (path.startsWith(prefix) && redirectLfsToOtherHost && files.get(path.substring(prefix.length())) != null
                    && files.get(path.substring(prefix.length())).lfs()) {
                ex.getResponseHeaders().add("Location",
                        "http://localhost:" + server.getAddress().getPort() + "/cdn/" + path.substring(prefix.length()));
                send(ex, 302, new byte[0]);
                return;
            }
            if (path.startsWith(prefix) && files.containsKey(path.substring(prefix.length()))) {
                serveFile(ex, files.get(path.substring(prefix.length())).bytes());
                return;
            }
            send(ex, 404, new byte[0]);
        }
    }

    private void serveFile(HttpExchange ex, byte[] bytes) throws IOException {
        String range = ex.getRequestHeaders().getFirst("Range");
        int from = 0;
        if (range != null) {
            ranges.add(range);
            from = Integer.parseInt(range.substring("bytes=".length(), range.indexOf('-')));
            ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (bytes.length - 1) + "/" + bytes.length);
        }
        ex.getResponseHeaders().add("ETag", "\"etag" + bytes.length + "\"");
        int len = bytes.length - from;
        ex.sendResponseHeaders(range != null ? 206 : 200, len);
        OutputStream out = ex.getResponseBody();
        if (breaksLeft.getAndDecrement() > 0) {
            out.write(bytes, from, len / 2);
            out.flush();
            throw new IOException("connection broken on purpose");
        }
        out.write(bytes, from, len);
    }

    private String listing() {
        StringBuilder sb = new StringBuilder("{\"id\": \"" + repo + "\", \"sha\": \"" + COMMIT + "\", \"siblings\": [");
        List<String> entries = new ArrayList<>();
        files.forEach((name, f) -> {
            String e = "{\"rfilename\": \"" + name + "\", \"size\": " + f.bytes().length;
            if (f.lfs()) {
                String sha = listedShaOverride != null ? listedShaOverride : sha256(f.bytes());
                long size = listedSizeOverride != null ? listedSizeOverride : f.bytes().length;
                e += ", \"lfs\": {\"sha256\": \"" + sha + "\", \"size\": " + size + "}";
            } else {
                e += ", \"blobId\": \"" + sha256(f.bytes()).substring(0, 40) + "\"";
            }
            entries.add(e + "}");
        });
        extraSiblings.forEach(n -> entries.add("{\"rfilename\": \"" + n + "\"}"));
        return sb.append(String.join(", ", entries)).append("]}").toString();
    }

    private static void send(HttpExchange ex, int code, byte[] body) throws IOException {
        ex.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
