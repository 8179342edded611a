package dev.tunewright.engine.run;

import dev.tunewright.engine.data.DataReport;
import dev.tunewright.engine.train.Evaluation;
import dev.tunewright.engine.train.StepMetrics;
import java.lang.System.Logger.Level;

/**
 * What a run reports while it runs, in this order: the data reports, the plan, then per step its evaluation (when
 * one is due), its metrics and any checkpoint written after it, with log lines in between. Calls come on the
 * thread that runs the run, one at a time; a slow listener slows training rather than losing events, and an
 * exception from a listener fails the run. A job runner turns these into its events; the command line prints them.
 */
public interface RunListener {

    /** A file read and encoded, before anything trains; also when the file has unusable rows and the run fails. */
    default void onDataReport(DataSplit split, DataReport report) {
    }

    /** Where the run starts and how long it is, once the model is loaded, before its first step. */
    default void onStart(RunPlan plan) {
    }

    /** An evaluation on the validation file after optimizer step {@code step}. */
    default void onEvaluation(int step, Evaluation evaluation) {
    }

    /** After every optimizer step, with its evaluation when one was due. */
    default void onStep(StepMetrics metrics) {
    }

    /** A checkpoint became visible under its final name. */
    default void onCheckpoint(SavedCheckpoint checkpoint) {
    }

    /** A line for a person: what was quantized, which torn checkpoint was passed over. */
    default void onLog(Level level, String message) {
    }

    RunListener NONE = new RunListener() {
    };
}
