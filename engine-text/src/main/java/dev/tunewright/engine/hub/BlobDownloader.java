package dev.tunewright.engine.hub;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Downloads one file into {@code blobs/<hash>.incomplete}, resuming with an HTTP Range request
 * after a broken connection, then checks size and sha256 before the blob is moved into place. A
 * blob that fails its check is deleted, never linked into a snapshot.
 */
final class BlobDownloader {

    private static final int MAX_REDIRECTS = 5;
    private static final ConcurrentHashMap<String, Object> IN_PROCESS = new ConcurrentHashMap<>();

    private final HttpClient http;
    private final HubSettings settings;

    BlobDownloader(HttpClient http, HubSettings settings) {
        this.http = http;
        this.settings = settings;
    }

    /** Sends a GET, following redirects by hand so the token only goes to the hub's own host. */
    HttpResponse<InputStream> get(URI uri, Optional<String> range) throws IOException {
        URI current = uri;
        for (int i = 0; i <= MAX_REDIRECTS; i++) {
            HttpRequest.Builder req = HttpRequest.newBuilder(current).timeout(Duration.ofSeconds(60)).GET();
            if (sameHost(current, settings.endpoint())) {
                settings.token().ifPresent(t -> req.header("Authorization", "Bearer " + t));
            }
            range.ifPresent(r -> req.header("Range", r));
            HttpResponse<InputStream> resp;
            try {
                resp = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while requesting " + current, e);
            }
            int code = resp.statusCode();
            if (code >= 300 && code < 400 && resp.headers().firstValue("Location").isPresent()) {
                resp.body().close();
                current = current.resolve(resp.headers().firstValue("Location").get());
                continue;
            }
            return resp;
        }
        throw new IOException("too many redirects for " + uri);
    }

    /**
     * Ensures {@code blobs/<hash>} holds the verified file, downloading or resuming as needed, with
     * up to {@code maxAttempts} tries for broken connections.
     */
    void fetch(HubCache cache, String repoId, URI url, RepoFile file, String hash) throws IOException {
        Path lockFile = cache.lock(hash);
        Files.createDirectories(lockFile.getParent());
        // One writer per blob: threads of this JVM queue on the monitor, other processes on the file lock.
        synchronized (IN_PROCESS.computeIfAbsent(lockFile.toAbsolutePath().toString(), k -> new Object())) {
            try (FileChannel lock = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock held = lock.lock()) {
                fetchLocked(cache, repoId, url, file, hash);
            }
        }
    }

    private void fetchLocked(HubCache cache, String repoId, URI url, RepoFile file, String hash) throws IOException {
        Path blob = cache.blob(hash);
        if (Files.isRegularFile(blob)) {
            return;
        }
        Files.createDirectories(blob.getParent());
        Path part = cache.incomplete(hash);
        IOException last = null;
        for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
            try {
                download(repoId, url, file, part);
                last = null;
                break;
            } catch (HubException e) {
                throw e;
            } catch (IOException e) {
                last = e;
            }
        }
        if (last != null) {
            throw new HubException(repoId + ": download of " + file.name() + " failed after " + settings.maxAttempts()
                    + " attempts (partial file kept for resume): " + last.getMessage(), last);
        }
        verify(repoId, file, part);
        Files.move(part, blob, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private void download(String repoId, URI url, RepoFile file, Path part) throws IOException {
        long have = Files.isRegularFile(part) ? Files.size(part) : 0;
        if (file.size().isPresent() && have >= file.size().getAsLong() && have > 0) {
            return;
        }
        HttpResponse<InputStream> resp = get(url, have > 0 ? Optional.of("bytes=" + have + "-") : Optional.empty());
        int code = resp.statusCode();
        try (InputStream body = resp.body()) {
            if (code == 416 && have > 0) {
                return;
            }
            HubClient.checkStatus(repoId, file.name(), code);
            boolean append = code == 206 && have > 0 && rangeStartsAt(resp.headers(), have);
            try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = body.read(buf)) > 0) {
                    ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                    while (bb.hasRemaining()) {
                        out.write(bb);
                    }
                }
            }
        }
    }

    private static boolean rangeStartsAt(HttpHeaders headers, long offset) {
        return headers.firstValue("Content-Range").map(v -> v.startsWith("bytes " + offset + "-")).orElse(false);
    }

    private static void verify(String repoId, RepoFile file, Path part) throws IOException {
        OptionalLong expected = file.size();
        long actual = Files.size(part);
        if (expected.isPresent() && expected.getAsLong() != actual) {
            Files.deleteIfExists(part);
            throw new HubException(repoId + ": " + file.name() + " size mismatch: expected " + expected.getAsLong()
                    + " bytes, got " + actual + " (discarded)");
        }
        if (file.sha256().isPresent()) {
            String got = sha256(part);
            if (!got.equalsIgnoreCase(file.sha256().get())) {
                Files.deleteIfExists(part);
                throw new HubException(repoId + ": " + file.name() + " sha256 mismatch: expected " + file.sha256().get()
                        + ", got " + got + " (discarded)");
            }
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static boolean sameHost(URI a, URI b) {
        return a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost()) && a.getPort() == b.getPort()
                && String.valueOf(a.getScheme()).equalsIgnoreCase(String.valueOf(b.getScheme()));
    }
}
