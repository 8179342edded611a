package dev.tunewright.cli;

import dev.tunewright.stack.StateDir;
import picocli.CommandLine.Option;

/** The --state-dir option every command that touches a stack shares. */
public class StateDirOption {

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "State folder of the stack (default: $TUNEWRIGHT_STATE_DIR, else .tunewright in the working directory).")
    String stateDir;

    public StateDir resolve() {
        return StateDir.resolve(stateDir);
    }
}
