package dev.tunewright.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL server run from the bundled binaries, with its own small lifecycle instead of zonky's
 * EmbeddedPostgres: that one refuses to work as root, which is how CI runs, and it always starts from a
 * fresh folder, while the local stack must keep its data across restarts.
 */
public final class LocalPostgres implements AutoCloseable {

    public static final String USER = "tunewright";
    public static final String PASSWORD = "tunewright";
    public static final String DATABASE = "tunewright";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Path dataDir;
    private final int port;
    private final Path logFile;
    private final boolean durable;
    private Process server;

    /**
     * @param durable false turns off fsync: right for throw-away test databases, wrong for a stack whose data
     *                a developer wants to keep after a power cut
     */
    public LocalPostgres(Path dataDir, int port, Path logFile, boolean durable) {
        this.dataDir = dataDir.toAbsolutePath();
        this.port = port;
        this.logFile = logFile.toAbsolutePath();
        this.durable = durable;
    }

    public synchronized void start() {
        if (server != null) {
            return;
        }
        checkVersion(dataDir);
        Path home = PostgresBinaries.install();
        try {
            Files.createDirectories(logFile.getParent());
            if (!Files.exists(dataDir.resolve("PG_VERSION"))) {
                initdb(home);
            }
            stopOrphan(dataDir, logFile);
            server = PostgresCommand.start(home, serverArguments(), logFile);
            awaitReady();
            createDatabase();
        } catch (IOException | RuntimeException e) {
            stop();
            if (e instanceof StackException stackException) {
                throw stackException;
            }
            throw new StackException("PostgreSQL failed to start on port " + port + ": " + e.getMessage()
                    + " (details in " + logFile + ")", e);
        }
    }

    public synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            if (server.isAlive()) {
                PostgresCommand.run(PostgresBinaries.install(), logFile, STOP_TIMEOUT,
                        "pg_ctl", "stop", "-D", dataDir.toString(), "-m", "fast", "-w", "-t", String.valueOf(STOP_TIMEOUT.toSeconds()));
            }
        } catch (RuntimeException e) {
            server.destroyForcibly();
        } finally {
            awaitExit(server);
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    public int port() {
        return port;
    }

    public Optional<Long> pid() {
        Process current = server;
        return current == null ? Optional.empty() : Optional.of(current.pid());
    }

    public synchronized boolean isRunning() {
        return server != null && server.isAlive();
    }

    /**
     * Fails before anything starts when the folder was made by another major version: PostgreSQL would refuse
     * it anyway, with a message that does not say which folder to move away.
     */
    public static void checkVersion(Path dataDir) {
        Path versionFile = dataDir.resolve("PG_VERSION");
        if (!Files.exists(versionFile)) {
            return;
        }
        String found;
        try {
            found = Files.readString(versionFile).trim();
        } catch (IOException e) {
            throw new StackException("cannot read " + versionFile + ": " + e.getMessage(), e);
        }
        if (!found.equals(PostgresBinaries.majorVersion())) {
            throw new StackException("the PostgreSQL data folder " + dataDir + " was created by PostgreSQL " + found
                    + " but this stack runs PostgreSQL " + PostgresBinaries.majorVersion()
                    + "; move the folder away or use another state dir");
        }
    }

    private void initdb(Path home) throws IOException {
        Files.createDirectories(dataDir);
        PostgresCommand.run(home, logFile, Duration.ofMinutes(2), "initdb",
                "-D", dataDir.toString(), "-U", USER, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions");
    }

    private List<String> serverArguments() {
        List<String> args = new ArrayList<>(List.of("postgres", "-D", dataDir.toString(), "-p", String.valueOf(port),
                "-h", "127.0.0.1",
                // TCP only: a socket path under a deep state folder can exceed the 107-byte limit of Unix sockets.
                "-c", "unix_socket_directories=",
                "-c", "max_connections=200"));
        if (!durable) {
            args.addAll(List.of("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"));
        }
        return args;
    }

    /**
     * A crash leaves postmaster.pid behind. A dead pid, or a pid reused by an unrelated program, would make
     * PostgreSQL refuse to start; a postmaster orphaned by a killed launcher still serves the folder and holds
     * its port, so it is stopped. Only for a caller holding the stack's lock, as then nothing else may own it.
     *
     * @return the pid of the orphaned postmaster that was stopped
     */
    public static Optional<Long> stopOrphan(Path dataDir, Path logFile) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(pidFile);
            long pid = lines.isEmpty() ? -1 : parsePid(lines.get(0));
            Optional<ProcessHandle> process = pid > 0 ? ProcessHandle.of(pid) : Optional.empty();
            boolean postgresAlive = process.filter(ProcessHandle::isAlive)
                    .flatMap(handle -> handle.info().command())
                    .map(command -> command.endsWith("/postgres"))
                    .orElse(false);
            if (postgresAlive) {
                Files.createDirectories(logFile.getParent());
                PostgresCommand.run(PostgresBinaries.install(), logFile, STOP_TIMEOUT, "pg_ctl", "stop",
                        "-D", dataDir.toString(), "-m", "fast", "-w", "-t", String.valueOf(STOP_TIMEOUT.toSeconds()));
            }
            Files.deleteIfExists(pidFile);
            return postgresAlive ? Optional.of(pid) : Optional.empty();
        } catch (IOException e) {
            throw new StackException("cannot clear the stale " + pidFile + ": " + e.getMessage(), e);
        }
    }

    private static long parsePid(String line) {
        try {
            return Long.parseLong(line.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void awaitReady() {
        Properties props = connectionProperties();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new StackException("PostgreSQL exited with code " + server.exitValue() + " while starting: "
                        + LogTail.lastLines(logFile, 5));
            }
            try (Connection ignored = DriverManager.getConnection(url("postgres"), props)) {
                return;
            } catch (SQLException e) {
                last = e;
            }
            Waits.pause(Duration.ofMillis(100));
        }
        throw new StackException("PostgreSQL did not accept connections on port " + port + " within "
                + READY_TIMEOUT.toSeconds() + " s" + (last == null ? "" : ": " + last.getMessage()));
    }

    private void createDatabase() {
        try (Connection connection = DriverManager.getConnection(url("postgres"), connectionProperties());
             Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (rows.next()) {
                    return;
                }
            }
            statement.execute("CREATE DATABASE " + DATABASE);
        } catch (SQLException e) {
            throw new StackException("cannot create the database " + DATABASE + ": " + e.getMessage(), e);
        }
    }

    private String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private static Properties connectionProperties() {
        Properties props = new Properties();
        props.setProperty("user", USER);
        props.setProperty("password", PASSWORD);
        props.setProperty("connectTimeout", "2");
        props.setProperty("loginTimeout", "2");
        return props;
    }

    private static void awaitExit(Process process) {
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
