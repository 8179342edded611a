package dev.tunewright.trainer.service;

import java.util.Map;

/**
 * A create request after every field was checked, before {@code auto} values are resolved.
 *
 * @param seed null when the request gave none; the job then draws one and returns it
 */
public record JobRequest(String model, String trainingFile, String validationFile, Long seed, String suffix,
        Map<String, String> metadata, Hyperparameters hyperparameters, LoraSettings lora, EvaluationOptions evaluation) {

    public JobRequest {
        evaluation = evaluation == null ? EvaluationOptions.none() : evaluation;
    }
}
