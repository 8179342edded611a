package dev.tunewright.testing;

import dev.tunewright.stack.LocalKafka;
import dev.tunewright.stack.LocalPostgres;
import dev.tunewright.stack.Ports;
import dev.tunewright.stack.StackException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

/**
 * One Kafka broker and one PostgreSQL server per test JVM, started on first use on free ports and stopped when
 * the JVM exits, so every test class shares them instead of paying seconds per class.
 *
 * <p>Quarkus loads test classes through several class loaders (one per application restart), each with its own
 * copy of this class. What was started is therefore published in system properties, which all copies see, and
 * the start is guarded by an interned string, the one monitor they share.
 */
public final class Infrastructure {

    private static final String MONITOR = "dev.tunewright.testing.Infrastructure";
    private static final String PREFIX = "tunewright.testing.";
    private static final String BOOTSTRAP = PREFIX + "kafka.bootstrap";
    private static final String JDBC_URL = PREFIX + "jdbc.url";
    private static final String ARTIFACTS = PREFIX + "artifacts.dir";
    private static final String LOGS = PREFIX + "logs.dir";
    private static final int ATTEMPTS = 3;

    private final String bootstrapServers;
    private final String jdbcUrl;
    private final Path artifactsDir;
    private final Path logsDir;

    private Infrastructure(String bootstrapServers, String jdbcUrl, Path artifactsDir, Path logsDir) {
        this.bootstrapServers = bootstrapServers;
        this.jdbcUrl = jdbcUrl;
        this.artifactsDir = artifactsDir;
        this.logsDir = logsDir;
    }

    /** The running infrastructure, started by this call when nothing in this JVM started it yet. */
    public static Infrastructure get() {
        synchronized (MONITOR) {
            if (System.getProperty(BOOTSTRAP) == null) {
                start();
            }
            return new Infrastructure(System.getProperty(BOOTSTRAP), System.getProperty(JDBC_URL),
                    Paths.get(System.getProperty(ARTIFACTS)), Paths.get(System.getProperty(LOGS)));
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String username() {
        return LocalPostgres.USER;
    }

    public String password() {
        return LocalPostgres.PASSWORD;
    }

    /** A folder shared by the tests of this JVM; tests that need isolation should use a subfolder of their own. */
    public Path artifactsDir() {
        return artifactsDir;
    }

    /** Where the broker's and the database's own logs go: kafka.log and postgres.log. */
    public Path logsDir() {
        return logsDir;
    }

    /** Retries with new ports: a port found free can be taken by a parallel build before the server binds it. */
    private static void start() {
        for (int attempt = 1; ; attempt++) {
            try {
                startOnce();
                return;
            } catch (StackException e) {
                if (attempt == ATTEMPTS || !String.valueOf(e.getMessage()).contains("in use")) {
                    throw e;
                }
            }
        }
    }

    private static void startOnce() {
        Path dir;
        try {
            dir = Files.createTempDirectory("tunewright-test-");
            Files.createDirectories(dir.resolve("artifacts"));
        } catch (IOException e) {
            throw new StackException("cannot create a temporary folder for the test infrastructure: " + e.getMessage(), e);
        }
        LocalKafka kafka = new LocalKafka(dir.resolve("kafka"), Ports.free(), Ports.free(), dir.resolve("logs/kafka.log"));
        LocalPostgres postgres = new LocalPostgres(dir.resolve("postgres"), Ports.free(), dir.resolve("logs/postgres.log"), false);
        Runnable stop = () -> {
            try {
                kafka.stop();
            } finally {
                postgres.stop();
                deleteTree(dir);
            }
        };
        try {
            CompletableFuture<Void> database = CompletableFuture.runAsync(postgres::start);
            kafka.start();
            database.join();
        } catch (RuntimeException e) {
            stop.run();
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            throw cause instanceof StackException stackException ? stackException
                    : new StackException("test infrastructure failed to start: " + cause.getMessage(), cause);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "tunewright-test-infrastructure-stop"));
        System.setProperty(BOOTSTRAP, kafka.bootstrapServers());
        System.setProperty(JDBC_URL, postgres.jdbcUrl());
        System.setProperty(ARTIFACTS, dir.resolve("artifacts").toString());
        System.setProperty(LOGS, dir.resolve("logs").toString());
        System.err.println("tunewright test infrastructure: Kafka " + kafka.bootstrapServers() + ", PostgreSQL "
                + postgres.jdbcUrl() + ", logs in " + dir.resolve("logs"));
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("warning: cannot delete the test infrastructure folder " + root + ": " + e.getMessage());
        }
    }
}
