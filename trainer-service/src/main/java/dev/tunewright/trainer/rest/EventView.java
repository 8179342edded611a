package dev.tunewright.trainer.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunewright.trainer.repository.JobEventRecord;

/**
 * OpenAI's {@code fine_tuning.job.event}. Metrics events carry {@code step}, {@code total_steps}, {@code epoch},
 * {@code train_loss}, {@code train_mean_token_accuracy}, {@code valid_loss}, {@code valid_mean_token_accuracy},
 * {@code learning_rate} and {@code tokens_per_second} in {@code data}; messages may carry data too (the data report).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record EventView(String id, String object, long createdAt, String level, String message, String type,
        JsonNode data) {

    private static final String PREFIX = "ftevent-";

    static EventView of(JobEventRecord event, ObjectMapper json) {
        JsonNode data;
        try {
            data = event.data == null ? json.createObjectNode() : json.readTree(event.data);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored data of event " + event.seq + " is not JSON", e);
        }
        return new EventView(id(event.seq), "fine_tuning.job.event", event.createdAt.getEpochSecond(), event.level,
                event.message, event.type, data);
    }

    static String id(long seq) {
        return PREFIX + seq;
    }

    /** The sequence number an event id names, or null when it names none (treated as "from the start"). */
    static Long seq(String id) {
        if (id == null || id.isBlank()) {
            return null;
        }
        String digits = id.startsWith(PREFIX) ? id.substring(PREFIX.length()) : id;
        try {
            return Long.parseLong(digits.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
