package dev.tunewright.engine.run;

import dev.tunewright.engine.train.Trainer;
import java.util.Optional;

/**
 * Stops a run from any thread. The run stops at its next optimizer-step boundary: the step in flight finishes (with
 * its evaluation when one is due), and no further step starts. A request made before training started stops the
 * run before its first step. One control belongs to one run.
 */
public final class RunControl {

    /** What was asked. */
    public enum Stop {
        /** Stop and write nothing more: the newest checkpoint stays the last one written. */
        CANCEL,
        /** Stop after writing a checkpoint at the current step, so a resumed run continues exactly. */
        PAUSE
    }

    private Stop requested;
    private Trainer trainer;

    /** Cancels; overrides an earlier pause. */
    public synchronized void cancel() {
        request(Stop.CANCEL);
    }

    /** Pauses; ignored after a cancel. */
    public synchronized void pause() {
        if (requested != Stop.CANCEL) {
            request(Stop.PAUSE);
        }
    }

    public synchronized Optional<Stop> requested() {
        return Optional.ofNullable(requested);
    }

    private void request(Stop stop) {
        requested = stop;
        if (trainer != null) {
            trainer.requestStop(stop == Stop.PAUSE);
        }
    }

    /** Hands later requests, and one already made, to the trainer of the run. */
    synchronized void attach(Trainer running) {
        trainer = running;
        if (requested != null) {
            running.requestStop(requested == Stop.PAUSE);
        }
    }

    synchronized void detach() {
        trainer = null;
    }
}
