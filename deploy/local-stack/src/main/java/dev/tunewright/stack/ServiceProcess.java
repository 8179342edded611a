package dev.tunewright.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One service running as its own JVM from its built Quarkus jar, as it would in production. Started again with the
 * same environment when it dies ({@link ServiceSupervisor}); the restarts and the last exit are kept for
 * {@code stack status}.
 */
final class ServiceProcess {

    static final List<String> JVM_OPTIONS = List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private final Service service;
    private final int port;
    private final Path jar;
    private final Path log;
    private Process process;
    private List<ProcessHandle> descendants = List.of();
    private Path workDir;
    private Map<String, String> env = Map.of();
    private long startedNanos;
    private int restarts;
    private String lastExit;
    private long restartAtNanos = -1;
    private int failuresInARow;

    ServiceProcess(Service service, int port, Path repoDir, Path log) {
        this.service = service;
        this.port = port;
        this.jar = jar(repoDir, service);
        this.log = log;
    }

    static Path jar(Path repoDir, Service service) {
        return repoDir.resolve(service.id()).resolve("target/quarkus-app/quarkus-run.jar");
    }

    void start(Path workDir, Map<String, String> env) {
        this.workDir = workDir;
        this.env = Map.copyOf(env);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().putAll(env);
        try {
            Files.createDirectories(log.getParent());
            process = builder.start();
            startedNanos = System.nanoTime();
        } catch (IOException e) {
            throw new StackException("cannot start " + service.id() + ": " + e.getMessage(), e);
        }
    }

    Service service() {
        return service;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    Path log() {
        return log;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    int restarts() {
        return restarts;
    }

    /** How the last run ended ({@code exit code 137 at 2026-...}), or null while it never ended. */
    String lastExit() {
        return lastExit;
    }

    /** Whether a restart is scheduled (the process exited and {@link #scheduleRestart} was called). */
    boolean restartScheduled() {
        return restartAtNanos >= 0;
    }

    /**
     * Notes the exit and when to start again: the delay doubles with each exit that followed a short run (from
     * {@code first} up to {@code max}) and starts over once a run lasted {@code stable}.
     */
    Duration scheduleRestart(long nowNanos, Duration first, Duration max, Duration stable) {
        lastExit = "exit code " + process.exitValue() + " at " + Instant.now().truncatedTo(ChronoUnit.SECONDS);
        failuresInARow = nowNanos - startedNanos >= stable.toNanos() ? 0 : failuresInARow + 1;
        long delay = Math.min(max.toMillis(), first.toMillis() << Math.min(20, Math.max(0, failuresInARow - 1)));
        restartAtNanos = nowNanos + Duration.ofMillis(delay).toNanos();
        return Duration.ofMillis(delay);
    }

    boolean restartDue(long nowNanos) {
        return restartAtNanos >= 0 && nowNanos - restartAtNanos >= 0;
    }

    /** Starts the service again as it was started first. */
    void restart() {
        restartAtNanos = -1;
        restarts++;
        start(workDir, env);
    }

    /** Why the service is gone, quoting its log; null while it runs. */
    String exitReport() {
        if (process == null || process.isAlive()) {
            return null;
        }
        return service.id() + " exited with code " + process.exitValue() + " before becoming healthy; last lines of "
                + log + ":" + LogTail.lastLines(log, 15);
    }

    /**
     * Asks the service to stop (SIGTERM, so Quarkus shuts down gracefully). Its children are noted first:
     * once the service is gone they are reparented and no longer findable through it.
     */
    void terminate() {
        if (process == null) {
            return;
        }
        descendants = process.descendants().toList();
        process.destroy();
    }

    /** Waits until the deadline for the graceful stop, then kills whatever of the process tree is left. */
    void awaitExit(long deadlineNanos) {
        if (process == null) {
            return;
        }
        try {
            long remaining = Math.max(0, deadlineNanos - System.nanoTime());
            if (!process.waitFor(remaining, TimeUnit.NANOSECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        for (ProcessHandle child : descendants) {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
        for (ProcessHandle child : process.descendants().toList()) {
            child.destroyForcibly();
        }
    }
}
