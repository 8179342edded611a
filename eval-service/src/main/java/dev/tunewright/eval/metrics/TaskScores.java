package dev.tunewright.eval.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One model's outputs scored against the references by the metrics of the task type.
 *
 * @param metrics        aggregate metrics by name (all in [0, 1])
 * @param perExample     per example, its scores by name
 * @param primary        per example, the score the primary metric averages: what the paired bootstrap resamples
 * @param classification the full classification breakdown (per label, confusion matrix); null for other types
 */
public record TaskScores(Map<String, Double> metrics, List<Map<String, Double>> perExample, double[] primary,
        ClassificationScores classification) {

    public static TaskScores of(TaskType type, List<String> references, List<String> outputs,
            Predicate<JsonNode> schema) {
        if (references.size() != outputs.size()) {
            throw new IllegalArgumentException(outputs.size() + " outputs for " + references.size() + " references");
        }
        return switch (type) {
            case CLASSIFICATION -> classification(references, outputs);
            case STRUCTURED -> structured(references, outputs, schema);
            case FREE_TEXT -> freeText(references, outputs);
        };
    }

    private static TaskScores classification(List<String> references, List<String> outputs) {
        ClassificationScores scores = ClassificationScores.of(references, outputs);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("accuracy", scores.accuracy());
        metrics.put("macro_f1", scores.macroF1());
        metrics.put("outside_labels", references.isEmpty() ? 0 : (double) scores.outsideLabels() / references.size());
        List<Map<String, Double>> perExample = new ArrayList<>();
        for (double correct : scores.correct()) {
            perExample.add(Map.of("accuracy", correct));
        }
        return new TaskScores(metrics, perExample, scores.correct(), scores);
    }

    private static TaskScores structured(List<String> references, List<String> outputs, Predicate<JsonNode> schema) {
        List<Map<String, Double>> perExample = new ArrayList<>();
        double[] primary = new double[references.size()];
        double valid = 0;
        double exact = 0;
        double conforming = 0;
        long predicted = 0;
        long expected = 0;
        long matched = 0;
        for (int i = 0; i < references.size(); i++) {
            JsonScores s = JsonScores.of(references.get(i), outputs.get(i), schema);
            Map<String, Double> row = new LinkedHashMap<>();
            row.put("json_valid", (double) s.valid());
            row.put("exact_match", (double) s.exactMatch());
            row.put("field_precision", s.precision());
            row.put("field_recall", s.recall());
            row.put("field_f1", s.f1());
            if (s.schemaValid() != null) {
                row.put("schema_valid", (double) s.schemaValid());
                conforming += s.schemaValid();
            }
            perExample.add(row);
            primary[i] = s.f1();
            valid += s.valid();
            exact += s.exactMatch();
            predicted += s.predicted();
            expected += s.expected();
            matched += s.matched();
        }
        int n = Math.max(1, references.size());
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("json_validity", valid / n);
        metrics.put("exact_match", exact / n);
        metrics.put("field_precision", predicted == 0 ? 0 : (double) matched / predicted);
        metrics.put("field_recall", expected == 0 ? 0 : (double) matched / expected);
        metrics.put("field_f1", mean(primary));
        if (schema != null) {
            metrics.put("schema_conformance", conforming / n);
        }
        return new TaskScores(metrics, perExample, primary, null);
    }

    private static TaskScores freeText(List<String> references, List<String> outputs) {
        List<Map<String, Double>> perExample = new ArrayList<>();
        double[] primary = new double[references.size()];
        double exact = 0;
        double rouge = 0;
        for (int i = 0; i < references.size(); i++) {
            double match = squeeze(references.get(i)).equals(squeeze(outputs.get(i))) ? 1 : 0;
            double rougeL = RougeL.f1(references.get(i), outputs.get(i));
            double chrf = ChrF.sentence(outputs.get(i), references.get(i));
            Map<String, Double> row = new LinkedHashMap<>();
            row.put("exact_match", match);
            row.put("rouge_l", rougeL);
            row.put("chrf", chrf);
            perExample.add(row);
            primary[i] = chrf;
            exact += match;
            rouge += rougeL;
        }
        int n = Math.max(1, references.size());
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("exact_match", exact / n);
        metrics.put("rouge_l", rouge / n);
        metrics.put("chrf", mean(primary));
        metrics.put("chrf_corpus", references.isEmpty() ? 0 : ChrF.corpus(outputs, references));
        return new TaskScores(metrics, perExample, primary, null);
    }

    /** Whitespace runs as one space, ends trimmed: how free-text exact match compares. */
    static String squeeze(String text) {
        return text.strip().replaceAll("\\s+", " ");
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return values.length == 0 ? 0 : sum / values.length;
    }
}
