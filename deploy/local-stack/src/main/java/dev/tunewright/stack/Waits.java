package dev.tunewright.stack;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polling helpers: everything in the stack waits on an observable condition, with a bound, never on a fixed delay. */
public final class Waits {

    private Waits() {
    }

    /** Polls until the condition holds; false when the timeout passed first. */
    public static boolean until(BooleanSupplier condition, Duration timeout, Duration interval) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            pause(interval);
        }
    }

    public static void pause(Duration interval) {
        try {
            Thread.sleep(interval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted", e);
        }
    }
}
