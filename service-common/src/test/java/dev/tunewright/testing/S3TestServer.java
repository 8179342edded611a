package dev.tunewright.testing;

import dev.tunewright.stack.Ports;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * An S3-compatible server for tests: Adobe's S3Mock, the executable jar from Maven Central that a module's build
 * copies to {@code target/s3-test-server/s3mock.jar} (the {@code s3-test-server} execution of
 * maven-dependency-plugin), started as a process of its own on free loopback ports, once per test JVM, and stopped
 * when the JVM exits. A process of its own keeps its Spring Boot classes off the test's class path.
 *
 * <p>Where it cannot start (the jar is missing, no JVM to run it, it does not answer), {@link #get()} is empty and
 * {@link #unavailableReason()} says why, so tests skip visibly instead of failing on a machine that lacks it. Like
 * {@link Infrastructure}, what was started is published in system properties, which the copies of this class in
 * Quarkus's several class loaders all see.
 */
public final class S3TestServer {

    /** The bucket the server starts with. */
    public static final String BUCKET = "tunewright-test";
    public static final String ACCESS_KEY = "tunewright-test";
    public static final String SECRET_KEY = "tunewright-test-secret";

    private static final String MONITOR = "dev.tunewright.testing.S3TestServer";
    private static final String JAR = "tunewright.s3-test-server.jar";
    private static final String ENDPOINT = "tunewright.testing.s3.endpoint";
    private static final String UNAVAILABLE = "tunewright.testing.s3.unavailable";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final URI endpoint;

    private S3TestServer(URI endpoint) {
        this.endpoint = endpoint;
    }

    /** The running server, started by this call when none runs in this JVM yet; empty where it cannot start. */
    public static Optional<S3TestServer> get() {
        synchronized (MONITOR) {
            if (System.getProperty(ENDPOINT) == null && System.getProperty(UNAVAILABLE) == null) {
                try {
                    System.setProperty(ENDPOINT, start().toString());
                } catch (IOException | RuntimeException e) {
                    System.setProperty(UNAVAILABLE, e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    System.setProperty(UNAVAILABLE, "interrupted while starting S3Mock");
                }
            }
            String endpoint = System.getProperty(ENDPOINT);
            return endpoint == null ? Optional.empty() : Optional.of(new S3TestServer(URI.create(endpoint)));
        }
    }

    /** Why {@link #get()} is empty, for the skip message. */
    public static String unavailableReason() {
        return "no S3-compatible test server: " + System.getProperty(UNAVAILABLE, "not started");
    }

    public URI endpoint() {
        return endpoint;
    }

    /**
     * The configuration that points a service's artifact store at this server, under a key prefix of its own so
     * that tests sharing the server never see each other's objects.
     */
    public Map<String, String> artifactStoreConfig(String prefix) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("tunewright.artifacts.store", "s3");
        config.put("tunewright.artifacts.s3.endpoint", endpoint.toString());
        config.put("tunewright.artifacts.s3.bucket", BUCKET);
        config.put("tunewright.artifacts.s3.prefix", prefix);
        config.put("tunewright.artifacts.s3.access-key", ACCESS_KEY);
        config.put("tunewright.artifacts.s3.secret-key", SECRET_KEY);
        config.put("tunewright.artifacts.s3.path-style", "true");
        return config;
    }

    /** A prefix no other test uses. */
    public static String uniquePrefix(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static URI start() throws IOException, InterruptedException {
        String jarSetting = System.getProperty(JAR);
        if (jarSetting == null) {
            throw new IllegalStateException("system property " + JAR + " is not set (the build sets it)");
        }
        Path jar = Paths.get(jarSetting);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("S3Mock jar not found at " + jar
                    + " (the s3-test-server execution of maven-dependency-plugin copies it there)");
        }
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        Path root = Files.createTempDirectory("tunewright-s3-");
        Path log = jar.resolveSibling("s3mock-" + ProcessHandle.current().pid() + ".log");
        int httpPort = Ports.free();
        int httpsPort = Ports.free();
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-jar", jar.toString(),
                "--server.port=" + httpsPort, "--server.address=127.0.0.1",
                "--com.adobe.testing.s3mock.httpPort=" + httpPort,
                "--com.adobe.testing.s3mock.store.root=" + root,
                "--com.adobe.testing.s3mock.store.initialBuckets=" + BUCKET));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(process, root), "s3-test-server-stop"));
        URI endpoint = URI.create("http://127.0.0.1:" + httpPort);
        awaitReady(process, endpoint, log);
        return endpoint;
    }

    private static void awaitReady(Process process, URI endpoint, Path log) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("S3Mock exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(5))
                        .GET().build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        process.destroyForcibly();
        throw new IllegalStateException("S3Mock did not answer on " + endpoint + " within " + START_TIMEOUT.toSeconds()
                + " s; see " + log);
    }

    private static void stop(Process process, Path root) {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException ignored) {
            // a temporary folder; the OS cleans what is left
        }
    }
}
