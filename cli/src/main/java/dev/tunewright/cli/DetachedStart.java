package dev.tunewright.cli;

import dev.tunewright.stack.Health;
import dev.tunewright.stack.StackException;
import dev.tunewright.stack.StackLock;
import dev.tunewright.stack.StackState;
import dev.tunewright.stack.StateDir;
import dev.tunewright.stack.StatusTable;
import dev.tunewright.stack.Waits;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs `stack up` in a background JVM that outlives this command, relays its progress from its log file, and
 * returns once it reports the stack running (printing the status table), or explains why it died. The default
 * team's key is the caller's to print: the background process only stores it.
 */
final class DetachedStart {

    /** Beyond the services' health timeout: unpacking PostgreSQL on a first start, Kafka, stopping on failure. */
    private static final Duration INFRASTRUCTURE_ALLOWANCE = Duration.ofMinutes(3);
    private static final Duration POLL = Duration.ofMillis(250);

    private final StateDir stateDir;
    private final PrintStream out;

    DetachedStart(StateDir stateDir, PrintStream out) {
        this.stateDir = stateDir;
        this.out = out;
    }

    StackState start(List<String> upArguments, Duration healthTimeout) {
        if (StackLock.isHeld(stateDir)) {
            throw new StackException("a stack is already running (pid " + StackLock.holderPid(stateDir.lockFile())
                    + ", state dir " + stateDir + ")");
        }
        stateDir.prepare();
        Path log = stateDir.log("stack");
        long offset = size(log);
        Process child = spawn(upArguments, log);
        out.println("starting the stack in the background (pid " + child.pid() + ", log " + log + ")");

        Duration timeout = healthTimeout.plus(INFRASTRUCTURE_ALLOWANCE);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            offset = relay(log, offset);
            Optional<StackState> state = StackState.read(stateDir.stackFile());
            if (state.isPresent() && StackState.RUNNING.equals(state.get().status()) && isAlive(state.get().launcherPid())) {
                printSummary(state.get());
                return state.get();
            }
            if (!child.isAlive()) {
                relay(log, offset);
                throw new StackException("the stack did not start (exit code " + child.exitValue() + "); its log is " + log);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new StackException("the stack is still starting after " + timeout.toSeconds()
                        + " s; follow it with: ftctl stack logs stack --follow");
            }
            Waits.pause(POLL);
        }
    }

    private Process spawn(List<String> upArguments, Path log) {
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            // Its own session: closing the terminal or Ctrl-C in it later must not reach the stack.
            command.addAll(List.of("/usr/bin/setsid", "--wait"));
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("-D" + Home.PROPERTY + "=" + Home.repoDir());
        command.add(Ftctl.class.getName());
        command.addAll(List.of("stack", "up", "--detached-child", "--state-dir", stateDir.toString()));
        command.addAll(upArguments);
        try {
            return new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
        } catch (IOException e) {
            throw new StackException("cannot start the background stack process: " + e.getMessage(), e);
        }
    }

    private void printSummary(StackState state) {
        Map<String, String> health = new LinkedHashMap<>();
        state.services().forEach(service -> health.put(service.name(), Health.check(service.url())));
        out.println();
        out.print(StatusTable.render(state, health));
        out.println();
        out.println("stack running in the background (pid " + state.launcherPid() + "); stop it with: ftctl stack down");
    }

    /** Prints what the background process logged since the last call; returns the new offset. */
    private long relay(Path log, long offset) {
        long size = size(log);
        if (size <= offset) {
            return size < offset ? 0 : offset;
        }
        try (RandomAccessFile in = new RandomAccessFile(log.toFile(), "r")) {
            in.seek(offset);
            byte[] bytes = new byte[(int) Math.min(size - offset, 1 << 20)];
            in.readFully(bytes);
            out.print(new String(bytes, StandardCharsets.UTF_8));
            out.flush();
            return offset + bytes.length;
        } catch (IOException e) {
            return offset;
        }
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
