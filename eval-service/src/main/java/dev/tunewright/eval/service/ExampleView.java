package dev.tunewright.eval.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * One held-out example with every model's answer and scores: what a person reads to check the numbers.
 *
 * @param index  position in the evaluation (the pagination cursor)
 * @param line   the row's line in the split
 * @param input  the prompt messages
 * @param scores per model, its scores by metric name
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExampleView(int index, long line, List<Map<String, Object>> input, String expected,
        Map<String, Output> outputs, Map<String, Map<String, Double>> scores) {

    /** One model's answer, how it ended and what it cost. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Output(String text, String finishReason, Integer promptTokens, Integer completionTokens,
            double latencyMs) {
    }
}
