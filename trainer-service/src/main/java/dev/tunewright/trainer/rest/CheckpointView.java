package dev.tunewright.trainer.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunewright.trainer.repository.Job;
import dev.tunewright.trainer.repository.JobCheckpoint;

/**
 * OpenAI's {@code fine_tuning.job.checkpoint}; {@code fine_tuned_model_checkpoint} is the job's {@code ft:} id with
 * {@code :ckpt-step-<n>}, and the adapter itself is at {@code …/checkpoints/{id}/content} as a zip.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record CheckpointView(String id, String object, long createdAt, String fineTunedModelCheckpoint,
        String fineTuningJobId, int stepNumber, JsonNode metrics) {

    static CheckpointView of(Job job, JobCheckpoint checkpoint, String modelId, ObjectMapper json) {
        try {
            return new CheckpointView(checkpoint.id, "fine_tuning.job.checkpoint", checkpoint.createdAt.getEpochSecond(),
                    modelId + ":ckpt-step-" + checkpoint.step, job.id, checkpoint.step, json.readTree(checkpoint.metrics));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored metrics of checkpoint " + checkpoint.id + " are not JSON", e);
        }
    }
}
