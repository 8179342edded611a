package dev.tunewright.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the PostgreSQL programs. They refuse to run as root, and CI runs as root: there every command runs in a
 * user namespace where the caller is an ordinary user (files owned by root look owned by that user inside), which
 * needs no second account and no privilege beyond the one already held.
 */
final class PostgresCommand {

    private static final List<String> AS_ORDINARY_USER = List.of("unshare", "--user", "--map-user=1000", "--map-group=1000");

    private PostgresCommand() {
    }

    static Process start(Path home, List<String> args, Path logFile) throws IOException {
        return builder(home, args, logFile).start();
    }

    /** Runs to completion; a non-zero exit becomes an error quoting the end of the log. */
    static void run(Path home, Path logFile, Duration timeout, String... args) {
        Process process;
        try {
            process = builder(home, List.of(args), logFile).start();
        } catch (IOException e) {
            throw new StackException("cannot run " + args[0] + ": " + e.getMessage(), e);
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new StackException(args[0] + " did not finish within " + timeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while running " + args[0], e);
        }
        if (process.exitValue() != 0) {
            throw new StackException(args[0] + " failed with exit code " + process.exitValue() + ":"
                    + LogTail.lastLines(logFile, 5));
        }
    }

    private static ProcessBuilder builder(Path home, List<String> args, Path logFile) {
        List<String> command = new ArrayList<>();
        if (isRoot()) {
            command.addAll(AS_ORDINARY_USER);
        }
        command.add(home.resolve("bin").resolve(args.get(0)).toString());
        command.addAll(args.subList(1, args.size()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Paths.get("/dev/null").toFile()));
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("PG"));
        env.put("LC_ALL", "C");
        env.put("LANG", "C");
        return builder;
    }

    static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Paths.get("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }
}
