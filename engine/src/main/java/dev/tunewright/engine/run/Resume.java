package dev.tunewright.engine.run;

/** Whether a run continues the checkpoints in its run folder. */
public enum Resume {
    /** A new run: a run folder that already holds checkpoints is refused rather than continued or overwritten. */
    NEVER,
    /** Continue from the newest intact checkpoint if there is one, else start (a worker taking up a job). */
    IF_ANY,
    /** Continue from the newest intact checkpoint; having none is an error (resuming on purpose). */
    REQUIRED
}
