package dev.tunewright.eval.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tunewright.eval.metrics.ClassificationScores;
import java.util.List;
import java.util.Map;

/**
 * What an evaluation found, as stored with it and shown by the API, the CLI and the report.
 *
 * @param examples   held-out rows evaluated
 * @param splitRows  rows the split has (more than {@code examples} when it was cut at max_examples)
 * @param models     by role: {@code base}, {@code fine_tuned}, {@code reference}
 * @param verdict    fine-tuned against base
 * @param referenceVerdict fine-tuned against the reference; null without one
 * @param classification labels, confusion matrices and per-label scores; null for other task types
 * @param judgeRubric the rubric version the judge scores used; null without a judge
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvaluationResult(String taskType, String primaryMetric, int examples, long splitRows, double margin,
        Map<String, ModelReport> models, Comparison verdict, Comparison referenceVerdict,
        Classification classification, Cost cost, List<String> notes, String judgeRubric) {

    public static final String BASE = "base";
    public static final String FINE_TUNED = "fine_tuned";
    public static final String REFERENCE = "reference";

    /**
     * One model's numbers.
     *
     * @param model     what ran: the base model id, the ft: id or adapter, the reference's model name
     * @param metrics   task metrics and run statistics by name (see the README's metric table)
     * @param intervals bootstrap 95% interval [low, high] of each metric that is a mean over examples
     */
    public record ModelReport(String model, Map<String, Double> metrics, Map<String, double[]> intervals) {
    }

    /** A paired comparison on the primary metric, in {@link dev.tunewright.contracts.evaluation.Verdict}'s words. */
    public record Comparison(String result, String primaryMetric, String against, double difference, double low,
            double high, double margin) {
    }

    /** Per model: the confusion matrix (rows expected, columns predicted plus "(other)") and per-label scores. */
    public record Classification(List<String> labels, Map<String, int[][]> confusion,
            Map<String, Map<String, ClassificationScores.LabelScores>> perLabel) {
    }

    /** The cost table and the prices it assumed. */
    public record Cost(String currency, EvaluationOptions.Prices prices, List<CostRow> rows) {
    }

    /**
     * Cost of one model per 1M items: measured throughput times the device-hour price for models served here;
     * measured tokens per item times the per-token prices for the reference endpoint.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CostRow(String model, String basis, Double itemsPerHour, Double deviceHoursPerMillionItems,
            Double inputTokensPerItem, Double outputTokensPerItem, Double costPerMillionItems) {
    }
}
