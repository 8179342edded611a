package dev.tunewright.stack;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a launcher killed without its shutdown hook (SIGKILL, power loss) leaves behind: service JVMs still
 * holding their ports, PostgreSQL still serving the data folder, and a stack.json describing a stack that no
 * longer exists.
 */
public final class Leftovers {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

    private Leftovers() {
    }

    /** Takes the state dir's lock, so a live stack is never touched, then cleans up; false when a stack runs. */
    public static boolean cleanUp(StateDir stateDir, PrintStream out) {
        if (StackLock.isHeld(stateDir)) {
            return false;
        }
        if (!Files.exists(stateDir.stackFile()) && !Files.exists(stateDir.postgres().resolve("postmaster.pid"))) {
            return true;
        }
        try (StackLock ignored = StackLock.acquire(stateDir)) {
            cleanUpLocked(stateDir, out);
            return true;
        }
    }

    /** For a caller that already holds the lock: nothing stack.json lists can belong to a live stack. */
    static void cleanUpLocked(StateDir stateDir, PrintStream out) {
        stopServices(stateDir, out);
        LocalPostgres.stopOrphan(stateDir.postgres(), stateDir.log("postgres")).ifPresent(pid ->
                out.println("stopped PostgreSQL (pid " + pid + ") left by a stack that did not stop cleanly"));
    }

    private static void stopServices(StateDir stateDir, PrintStream out) {
        Optional<StackState> previous = StackState.read(stateDir.stackFile());
        if (previous.isEmpty()) {
            return;
        }
        List<ProcessHandle> leftovers = new ArrayList<>();
        for (StackState.ServiceEntry entry : previous.get().services()) {
            if (entry.pid() == null) {
                continue;
            }
            ProcessHandle.of(entry.pid())
                    .filter(ProcessHandle::isAlive)
                    .filter(handle -> handle.info().commandLine().map(line -> line.contains("quarkus-run.jar")).orElse(false))
                    .ifPresent(leftovers::add);
        }
        if (!leftovers.isEmpty()) {
            out.println("stopping " + leftovers.size() + " service process(es) left by a stack that did not stop cleanly");
            leftovers.forEach(ProcessHandle::destroy);
            for (ProcessHandle handle : leftovers) {
                if (!Waits.until(() -> !handle.isAlive(), STOP_TIMEOUT, Duration.ofMillis(100))) {
                    handle.destroyForcibly();
                }
            }
        }
        try {
            Files.deleteIfExists(stateDir.stackFile());
        } catch (IOException e) {
            throw new StackException("cannot delete the stale " + stateDir.stackFile() + ": " + e.getMessage(), e);
        }
    }
}
