package dev.tunewright.cli;

import dev.tunewright.stack.Leftovers;
import dev.tunewright.stack.StackException;
import dev.tunewright.stack.StackLock;
import dev.tunewright.stack.StackState;
import dev.tunewright.stack.StateDir;
import dev.tunewright.stack.Waits;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Stops a stack run by another process. The launcher does the actual stopping in its shutdown hook; this command
 * only signals it and waits for the lock, the one sign that everything, PostgreSQL included, is down.
 */
@Command(name = "down", mixinStandardHelpOptions = true, description = "Stop the stack running on the state dir.")
public class StackDownCommand implements Callable<Integer> {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(90);

    @Mixin
    StateDirOption state;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        StateDir stateDir = state.resolve();
        if (!StackLock.isHeld(stateDir)) {
            Leftovers.cleanUp(stateDir, System.out);
            out.println("no stack is running (state dir " + stateDir + ")");
            return 0;
        }
        long pid = StackState.read(stateDir.stackFile()).map(StackState::launcherPid)
                .orElse(StackLock.holderPid(stateDir.lockFile()));
        Optional<ProcessHandle> launcher = pid > 0 ? ProcessHandle.of(pid) : Optional.empty();
        if (launcher.isEmpty()) {
            throw new StackException("the stack's lock is held but its launcher pid is unknown; look in " + stateDir.lockFile());
        }
        out.println("stopping the stack (pid " + pid + ")...");
        out.flush();
        launcher.get().destroy();
        // The lock goes last in the launcher's stop; its JVM exits right after, and this waits for that too.
        if (!Waits.until(() -> !StackLock.isHeld(stateDir) && !launcher.get().isAlive(), STOP_TIMEOUT, Duration.ofMillis(200))) {
            throw new StackException("the stack (pid " + pid + ") did not stop within " + STOP_TIMEOUT.toSeconds()
                    + " s; see " + stateDir.log("stack") + " or kill it with: kill -9 " + pid);
        }
        out.println("stack stopped");
        return 0;
    }
}
