package dev.tunewright.trainer.service;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Our {@code evaluation} extension block: what the job asks of the evaluation the eval service runs when it succeeds
 * (carried in {@code job.succeeded}'s {@code evaluation} map), and whether every checkpoint is evaluated too
 * ({@code job.checkpoint-saved}'s {@code evaluate}). Null fields are the eval service's defaults.
 *
 * @param enabled     false: no evaluation when the job succeeds
 * @param taskType    {@code auto}, {@code classification}, {@code structured} or {@code free_text}
 * @param margin      the improvement the fine-tune must show over the base to be called better, in [0, 1]
 * @param maxExamples validation examples to generate on
 * @param judge       also ask the deployment's reference model to judge
 * @param checkpoints evaluate every checkpoint as it is saved
 */
public record EvaluationOptions(Boolean enabled, String taskType, Double margin, Integer maxExamples, Boolean judge,
        Boolean checkpoints) {

    public static EvaluationOptions none() {
        return new EvaluationOptions(null, null, null, null, null, null);
    }

    /** The options as {@code job.succeeded} carries them: only those the job gave, by their API names. */
    public Map<String, Object> asMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        put(out, "enabled", enabled);
        put(out, "task_type", taskType);
        put(out, "margin", margin);
        put(out, "max_examples", maxExamples);
        put(out, "judge", judge);
        return out;
    }

    public boolean everyCheckpoint() {
        return checkpoints != null && checkpoints;
    }

    private static void put(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
