package dev.tunewright.engine.train;

import java.nio.file.Path;

/**
 * Receives a run's progress on the training thread, so a slow listener slows training rather than
 * dropping metrics; a job runner forwards these to its metrics store.
 */
public interface TrainingListener {

    /** After every optimizer step (and its evaluation, when one was due). */
    void onStep(StepMetrics metrics);

    /** After an evaluation on the validation data, before the {@link #onStep} of the same step. */
    default void onEvaluation(int step, Evaluation evaluation) {
    }

    /** After a checkpoint became visible under its final name. */
    default void onCheckpoint(int step, Path checkpoint) {
    }

    TrainingListener NONE = metrics -> { };
}
