package dev.tunewright.trainer.worker;

import dev.tunewright.engine.train.StepMetrics;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One optimizer step as the job reports it: the engine's metrics under OpenAI's names, with the run's length and
 * the fractional epoch.
 *
 * @param meanStepSeconds wall-clock seconds per step of this attempt so far (for estimated_finish)
 * @param endedAt         when the step (and its evaluation) ended: the metrics event's time
 */
public record StepReport(int step, int totalSteps, double epoch, double trainLoss, double learningRate, double gradNorm,
        double tokensPerSecond, long trainedTokens, Double validLoss, Double validAccuracy, double meanStepSeconds,
        Instant endedAt) {

    static StepReport of(StepMetrics m, int totalSteps, int epochs, double meanStepSeconds, Instant endedAt) {
        double epoch = totalSteps <= 0 ? m.epoch() : Math.round(1000.0 * m.step() * epochs / totalSteps) / 1000.0;
        return new StepReport(m.step(), totalSteps, epoch, m.trainLoss(), m.learningRate(), m.gradNorm(),
                m.tokensPerSecond(), m.trainableTokensSeen(), m.validationLoss(), m.validationAccuracy(), meanStepSeconds,
                endedAt);
    }

    /** The metrics event's data ({@code fine_tuning.job.event} of type metrics). */
    public Map<String, Object> data() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("step", step);
        data.put("total_steps", totalSteps);
        data.put("epoch", epoch);
        data.put("train_loss", trainLoss);
        // the engine scores token accuracy on evaluations only; a training step reports none
        data.put("train_mean_token_accuracy", null);
        data.put("valid_loss", validLoss);
        data.put("valid_mean_token_accuracy", validAccuracy);
        data.put("learning_rate", learningRate);
        data.put("tokens_per_second", tokensPerSecond);
        data.put("trained_tokens", trainedTokens);
        // milliseconds, where created_at has seconds: progress bars and latency measurements need them
        data.put("ended_at_ms", endedAt.toEpochMilli());
        return data;
    }

    /** OpenAI's checkpoint metrics of this step; absent names were not measured. */
    public Map<String, Double> checkpointMetrics() {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("step", (double) step);
        metrics.put("train_loss", trainLoss);
        if (validLoss != null) {
            metrics.put("valid_loss", validLoss);
            metrics.put("valid_mean_token_accuracy", validAccuracy);
            metrics.put("full_valid_loss", validLoss);
            metrics.put("full_valid_mean_token_accuracy", validAccuracy);
        }
        return metrics;
    }
}
