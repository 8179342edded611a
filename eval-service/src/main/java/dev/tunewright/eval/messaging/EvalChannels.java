package dev.tunewright.eval.messaging;

/** Channel names of the evaluation service, shared by consumers and tests. */
public final class EvalChannels {

    /** Incoming {@link dev.tunewright.contracts.Topics#JOBS}: succeeded jobs and checkpoints to evaluate. */
    public static final String JOB_EVENTS = "job-events";

    private EvalChannels() {
    }
}
