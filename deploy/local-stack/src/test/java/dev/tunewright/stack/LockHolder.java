package dev.tunewright.stack;

import java.io.IOException;
import java.nio.file.Path;

/** Another process holding a stack's lock, as a running launcher would; it lets go when its stdin closes. */
public final class LockHolder {

    private LockHolder() {
    }

    public static void main(String[] args) throws IOException {
        StateDir stateDir = new StateDir(Path.of(args[0]));
        stateDir.prepare();
        try (StackLock ignored = StackLock.acquire(stateDir)) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // Wait for the test to close our stdin.
            }
        }
    }
}
