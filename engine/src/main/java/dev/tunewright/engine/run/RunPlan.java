package dev.tunewright.engine.run;

import dev.tunewright.engine.data.DataReport;
import dev.tunewright.engine.train.TrainConfig;
import java.nio.file.Path;

/**
 * A run's shape, known before its model is loaded: for progress bars and estimated finish times.
 *
 * @param totalSteps          optimizer steps of the whole run
 * @param stepsPerEpoch       optimizer steps of one pass over the training sequences
 * @param startStep           steps already taken by the checkpoint it resumes from, 0 for a new start
 * @param resumeFrom          the checkpoint it resumes from, null for a new start
 * @param trainSequences      sequences per epoch (examples, or packed sequences)
 * @param validationSequences sequences each evaluation scores
 * @param trainReport         what reading the training file kept, cut and dropped
 * @param validationReport    the same for the validation file, null without one
 * @param training            the optimisation settings as resolved (warm-up from a ratio)
 */
public record RunPlan(int totalSteps, int stepsPerEpoch, int startStep, Path resumeFrom, int trainSequences,
                      int validationSequences, DataReport trainReport, DataReport validationReport, TrainConfig training) {
}
