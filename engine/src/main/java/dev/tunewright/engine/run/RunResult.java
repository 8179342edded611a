package dev.tunewright.engine.run;

import dev.tunewright.engine.train.StepMetrics;
import java.nio.file.Path;
import java.util.List;

/**
 * How a run ended and what it left.
 *
 * @param steps          optimizer steps taken in all, across resumes
 * @param adapter        the final adapter (PEFT layout; the best one with early stopping), null unless completed or
 *                       early-stopped
 * @param bestAdapter    the adapter of the lowest validation loss so far, null without validation
 * @param lastCheckpoint the newest checkpoint, null when none was written
 * @param resumedFrom    the checkpoint this run continued, null for a new start
 * @param trainedTokens  trained (label) tokens of all steps taken, across resumes
 * @param history        every step's metrics, across resumes
 */
public record RunResult(Outcome outcome, int steps, Path adapter, Path bestAdapter, Path lastCheckpoint, Path resumedFrom,
                        long trainedTokens, List<StepMetrics> history, RunPlan plan) {

    /** Why the run returned. */
    public enum Outcome { COMPLETED, EARLY_STOPPED, CANCELLED, PAUSED }

    public RunResult {
        history = List.copyOf(history);
    }

    /** The last step's training loss, null when no step was taken. */
    public Double trainLoss() {
        return history.isEmpty() ? null : history.get(history.size() - 1).trainLoss();
    }

    /** The last evaluation's metrics, null when there was none. */
    public StepMetrics lastEvaluation() {
        for (int i = history.size() - 1; i >= 0; i--) {
            if (history.get(i).evaluated()) {
                return history.get(i);
            }
        }
        return null;
    }

    /** The last evaluation's validation loss, null when there was none. */
    public Double validationLoss() {
        StepMetrics last = lastEvaluation();
        return last == null ? null : last.validationLoss();
    }

    /** The last evaluation's validation token accuracy, null when there was none. */
    public Double validationAccuracy() {
        StepMetrics last = lastEvaluation();
        return last == null ? null : last.validationAccuracy();
    }

    /** The lowest validation loss of the run (the best adapter's), null without evaluations. */
    public Double bestValidationLoss() {
        return history.stream().filter(StepMetrics::evaluated).map(StepMetrics::validationLoss).min(Double::compare)
                .orElse(null);
    }
}
