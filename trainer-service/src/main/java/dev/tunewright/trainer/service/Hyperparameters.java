package dev.tunewright.trainer.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * OpenAI's three hyperparameters; a null field is {@code "auto"} until the job's dataset is known and
 * {@link JobSettings#resolve} decides it.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Hyperparameters(@JsonProperty("n_epochs") Integer nEpochs, @JsonProperty("batch_size") Integer batchSize,
        @JsonProperty("learning_rate_multiplier") Double learningRateMultiplier) {

    public static Hyperparameters auto() {
        return new Hyperparameters(null, null, null);
    }

    /** As the API shows it: each value, or {@code "auto"}. */
    public java.util.Map<String, Object> view() {
        java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("batch_size", batchSize == null ? RequestFields.AUTO : batchSize);
        out.put("learning_rate_multiplier", learningRateMultiplier == null ? RequestFields.AUTO : learningRateMultiplier);
        out.put("n_epochs", nEpochs == null ? RequestFields.AUTO : nEpochs);
        return out;
    }
}
