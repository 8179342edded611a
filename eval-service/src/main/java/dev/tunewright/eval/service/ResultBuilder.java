package dev.tunewright.eval.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunewright.eval.metrics.Bootstrap;
import dev.tunewright.eval.metrics.Distribution;
import dev.tunewright.eval.metrics.Interval;
import dev.tunewright.eval.metrics.JsonSchemas;
import dev.tunewright.eval.metrics.TaskScores;
import dev.tunewright.eval.metrics.TaskType;
import dev.tunewright.eval.metrics.Verdicts;
import dev.tunewright.eval.repository.ExampleStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Turns the stored outputs of an evaluation into its result: task metrics per model with bootstrap intervals,
 * run statistics (stop behaviour, lengths, latency, throughput), held-out loss and perplexity, the verdicts and
 * the cost table. Pure: the same outputs always give the same result.
 */
public final class ResultBuilder {

    /**
     * One model's outputs, indexed like the examples (null where it has none), with its held-out loss (null when
     * not measured, as for a reference endpoint) and judge scores by example index.
     */
    public record ModelRun(String role, String model, List<ExampleStore.Output> outputs, Double loss,
            Map<Integer, Double> judge) {
    }

    /** The result and, per example, each role's scores by metric name. */
    public record Built(EvaluationResult result, List<Map<String, Map<String, Double>>> perExample) {
    }

    private ResultBuilder() {
    }

    public static Built build(List<String> expected, EvaluationOptions options, int resamples, long splitRows,
            List<ModelRun> runs, List<String> notes) {
        TaskType type = options.taskType() == null ? TaskType.detect(expected) : TaskType.of(options.taskType());
        Predicate<JsonNode> schema = options.jsonSchema() == null ? null : JsonSchemas.compile(options.jsonSchema());
        Map<String, EvaluationResult.ModelReport> models = new LinkedHashMap<>();
        Map<String, TaskScores> scores = new LinkedHashMap<>();
        List<Map<String, Map<String, Double>>> perExample = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            perExample.add(new LinkedHashMap<>());
        }
        for (ModelRun run : runs) {
            // a failed reference call keeps its error message as output, for people; it scores as no answer
            List<String> texts = run.outputs().stream()
                    .map(o -> o == null || o.finishReason().equals("error") ? "" : o.output()).toList();
            TaskScores task = TaskScores.of(type, expected, texts, schema);
            scores.put(run.role(), task);
            Map<String, Double> metrics = new LinkedHashMap<>(task.metrics());
            Map<String, double[]> intervals = new LinkedHashMap<>();
            for (String name : task.perExample().isEmpty() ? Set.<String>of() : task.perExample().get(0).keySet()) {
                double[] values = task.perExample().stream().mapToDouble(m -> m.getOrDefault(name, 0.0)).toArray();
                Interval interval = Bootstrap.mean(values, resamples);
                intervals.put(name.equals("json_valid") ? "json_validity" : name, new double[] {interval.low(), interval.high()});
            }
            if (!run.judge().isEmpty()) {
                double[] judged = run.judge().values().stream().mapToDouble(Double::doubleValue).toArray();
                Interval interval = Bootstrap.mean(judged, resamples);
                metrics.put("judge_score", interval.value());
                metrics.put("judge_unparsed", (double) (expected.size() - judged.length) / Math.max(1, expected.size()));
                intervals.put("judge_score", new double[] {interval.low(), interval.high()});
            }
            metrics.putAll(runStatistics(run));
            if (run.loss() != null) {
                metrics.put("loss", run.loss());
                metrics.put("perplexity", Math.exp(run.loss()));
            }
            models.put(run.role(), new EvaluationResult.ModelReport(run.model(), finite(metrics), intervals));
            for (int i = 0; i < expected.size(); i++) {
                Map<String, Double> row = new LinkedHashMap<>(task.perExample().get(i));
                Double judged = run.judge().get(i);
                if (judged != null) {
                    row.put("judge_score", judged);
                }
                perExample.get(i).put(run.role(), row);
            }
        }
        double margin = options.margin();
        EvaluationResult.Comparison verdict = compare(scores, EvaluationResult.FINE_TUNED, EvaluationResult.BASE, type,
                margin, resamples);
        EvaluationResult.Comparison referenceVerdict = scores.containsKey(EvaluationResult.REFERENCE)
                ? compare(scores, EvaluationResult.FINE_TUNED, EvaluationResult.REFERENCE, type, margin, resamples) : null;
        EvaluationResult.Classification classification = null;
        if (type == TaskType.CLASSIFICATION) {
            Map<String, int[][]> confusion = new LinkedHashMap<>();
            Map<String, Map<String, dev.tunewright.eval.metrics.ClassificationScores.LabelScores>> perLabel = new LinkedHashMap<>();
            List<String> labels = List.of();
            for (Map.Entry<String, TaskScores> entry : scores.entrySet()) {
                labels = entry.getValue().classification().labels();
                confusion.put(entry.getKey(), entry.getValue().classification().confusion());
                perLabel.put(entry.getKey(), entry.getValue().classification().perLabel());
            }
            classification = new EvaluationResult.Classification(labels, confusion, perLabel);
        }
        EvaluationResult result = new EvaluationResult(type.wireName(), type.primaryMetric(), expected.size(), splitRows,
                margin, models, verdict, referenceVerdict, classification, cost(options.prices(), runs, models),
                List.copyOf(notes), runs.stream().anyMatch(r -> !r.judge().isEmpty()) ? JudgeRubric.VERSION : null);
        return new Built(result, perExample);
    }

    private static EvaluationResult.Comparison compare(Map<String, TaskScores> scores, String role, String against,
            TaskType type, double margin, int resamples) {
        Interval difference = Bootstrap.pairedDifference(scores.get(role).primary(), scores.get(against).primary(), resamples);
        return new EvaluationResult.Comparison(Verdicts.decide(difference, margin), type.primaryMetric(), against,
                difference.value(), difference.low(), difference.high(), margin);
    }

    /** Stop behaviour, output lengths, latency and throughput of one model as measured in this evaluation. */
    static Map<String, Double> runStatistics(ModelRun run) {
        List<ExampleStore.Output> outputs = run.outputs().stream().filter(o -> o != null).toList();
        Map<String, Double> stats = new LinkedHashMap<>();
        if (outputs.isEmpty()) {
            return stats;
        }
        stats.put("stop_rate", outputs.stream().filter(o -> o.finishReason().equals("stop")).count() / (double) outputs.size());
        stats.put("error_rate", outputs.stream().filter(o -> o.finishReason().equals("error")).count() / (double) outputs.size());
        Distribution length = Distribution.of(outputs.stream()
                .mapToDouble(o -> o.completionTokens() == null ? 0 : o.completionTokens()).toArray());
        stats.put("output_tokens_mean", length.mean());
        stats.put("output_tokens_p50", length.p50());
        stats.put("output_tokens_p95", length.p95());
        stats.put("output_tokens_max", length.max());
        Distribution latency = Distribution.of(outputs.stream().mapToDouble(ExampleStore.Output::latencyMs).toArray());
        stats.put("latency_ms_p50", latency.p50());
        stats.put("latency_ms_p95", latency.p95());
        // each batch's wall time once: what producing these outputs took on this deployment
        Set<Integer> batches = new HashSet<>();
        double seconds = 0;
        long tokens = 0;
        for (ExampleStore.Output o : outputs) {
            if (batches.add(o.batchNo())) {
                seconds += o.latencyMs() / 1000;
            }
            tokens += o.completionTokens() == null ? 0 : o.completionTokens();
        }
        if (seconds > 0) {
            stats.put("tokens_per_second", tokens / seconds);
            stats.put("examples_per_second", outputs.size() / seconds);
        }
        double promptTokens = outputs.stream().mapToDouble(o -> o.promptTokens() == null ? 0 : o.promptTokens()).average().orElse(0);
        stats.put("prompt_tokens_mean", promptTokens);
        return stats;
    }

    static EvaluationResult.Cost cost(EvaluationOptions.Prices prices, List<ModelRun> runs,
            Map<String, EvaluationResult.ModelReport> models) {
        List<EvaluationResult.CostRow> rows = new ArrayList<>();
        for (ModelRun run : runs) {
            Map<String, Double> m = models.get(run.role()).metrics();
            if (run.role().equals(EvaluationResult.REFERENCE)) {
                Double in = m.get("prompt_tokens_mean");
                Double out = m.get("output_tokens_mean");
                Double perMillion = in == null || out == null ? null
                        : in * prices.referenceInputPerMillion() + out * prices.referenceOutputPerMillion();
                rows.add(new EvaluationResult.CostRow(run.role(), "tokens", null, null, in, out, perMillion));
            } else {
                Double perSecond = m.get("examples_per_second");
                Double perHour = perSecond == null ? null : perSecond * 3600;
                Double deviceHours = perHour == null || perHour == 0 ? null : 1e6 / perHour;
                rows.add(new EvaluationResult.CostRow(run.role(), "device_hours", perHour, deviceHours, null, null,
                        deviceHours == null ? null : deviceHours * prices.deviceHour()));
            }
        }
        return new EvaluationResult.Cost(prices.currency(), prices, rows);
    }

    /** Without NaN or infinities, which JSON cannot carry. */
    private static Map<String, Double> finite(Map<String, Double> metrics) {
        Map<String, Double> out = new LinkedHashMap<>();
        metrics.forEach((k, v) -> {
            if (v != null && Double.isFinite(v)) {
                out.put(k, v);
            }
        });
        return out;
    }
}
