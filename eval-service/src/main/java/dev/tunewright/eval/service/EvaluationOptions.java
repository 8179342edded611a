package dev.tunewright.eval.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * How one evaluation runs, as stored with it (never with the reference's key).
 *
 * @param taskType   {@code classification}, {@code structured}, {@code free_text}; null to detect it from the data
 * @param margin     smallest improvement of the primary metric that counts
 * @param maxExamples most held-out rows looked at
 * @param jsonSchema checks structured outputs' conformance when given
 * @param judge      also score free-text answers with the reference model as judge ({@link JudgeRubric})
 * @param reference  the reference endpoint, null for none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvaluationOptions(String taskType, double margin, int maxExamples, JsonNode jsonSchema, boolean judge,
        Reference reference, Prices prices) {

    /** An OpenAI-compatible chat-completions endpoint and the model to ask there; its key is stored apart. */
    public record Reference(String baseUrl, String model) {
    }

    /** What the cost table assumes. */
    public record Prices(String currency, double deviceHour, double referenceInputPerMillion,
            double referenceOutputPerMillion) {
    }
}
