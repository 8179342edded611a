package dev.tunewright.eval.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tunewright.eval.repository.Evaluation;
import dev.tunewright.eval.service.EvaluationOptions;
import dev.tunewright.eval.service.EvaluationResult;
import dev.tunewright.eval.service.ExampleView;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The evaluation report: one HTML page that needs nothing but itself (Apache ECharts from its WebJar, the data and
 * the drawing code are inlined; its Content-Security-Policy forbids every network request), so it can be mailed,
 * archived or opened offline. Charts: the job's loss curves, the task metrics with their bootstrap intervals,
 * confusion matrices, latency; tables: every metric side by side, the cost, the worst examples.
 */
public final class ReportPage {

    /** Where the report's Content-Security-Policy allows nothing from the network. */
    public static final String CONTENT_SECURITY_POLICY =
            "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, List<String>> TASK_METRICS = Map.of(
            "classification", List.of("accuracy", "macro_f1", "outside_labels"),
            "structured", List.of("json_validity", "exact_match", "field_precision", "field_recall", "field_f1",
                    "schema_conformance"),
            "free_text", List.of("exact_match", "rouge_l", "chrf", "chrf_corpus", "judge_score"));
    private static final Map<String, String> ROLE_NAMES = Map.of(EvaluationResult.BASE, "base",
            EvaluationResult.FINE_TUNED, "fine-tuned", EvaluationResult.REFERENCE, "reference");
    private static volatile String echarts;

    private ReportPage() {
    }

    /**
     * @param curve     the job's per-step metrics, null when there are none
     * @param curveNote why there is no loss curve, when {@code curve} is null
     */
    public static String render(Evaluation evaluation, EvaluationResult result, LossCurve curve, String curveNote,
            List<ExampleView> worst) {
        StringBuilder html = new StringBuilder(1 << 20);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(CONTENT_SECURITY_POLICY).append("\">\n")
                .append("<title>Evaluation ").append(Html.text(evaluation.id)).append("</title>\n<style>")
                .append(resource("report.css")).append("</style></head>\n<body>\n");
        html.append("<h1>Was it worth it? Evaluation ").append(Html.text(evaluation.id)).append("</h1>\n<p class=\"meta\">")
                .append("job <code>").append(Html.text(evaluation.jobId)).append("</code>")
                .append(evaluation.checkpointStep == null ? "" : ", checkpoint at step " + evaluation.checkpointStep)
                .append(" &middot; base <code>").append(Html.text(evaluation.baseModel)).append("</code> &middot; fine-tuned <code>")
                .append(Html.text(evaluation.fineTunedModel != null ? evaluation.fineTunedModel : evaluation.adapterArtifactId))
                .append("</code><br>").append(result.examples()).append(" examples of the ").append(Html.text(evaluation.split))
                .append(" split (").append(result.splitRows()).append(" rows) &middot; task ").append(Html.text(result.taskType()))
                .append(" &middot; primary metric ").append(Html.text(result.primaryMetric())).append("</p>\n");
        verdict(html, "Fine-tuned against base", result.verdict());
        if (result.referenceVerdict() != null) {
            verdict(html, "Fine-tuned against the reference (" + result.models().get(EvaluationResult.REFERENCE).model() + ")",
                    result.referenceVerdict());
        }
        for (String note : result.notes()) {
            html.append("<p class=\"note\">").append(Html.text(note)).append("</p>\n");
        }
        html.append("<h2>Training loss</h2>\n");
        if (curve != null) {
            html.append("<div id=\"chart-loss\" class=\"chart\"></div>\n");
        } else {
            html.append("<p class=\"note\">").append(Html.text(curveNote)).append("</p>\n");
        }
        html.append("<h2>Metrics with bootstrap 95% intervals</h2>\n<div id=\"chart-metrics\" class=\"chart\"></div>\n");
        metricTable(html, result);
        if (result.classification() != null) {
            html.append("<h2>Confusion matrices</h2>\n<div class=\"charts\">");
            result.models().keySet().forEach(role -> html.append("<div id=\"chart-confusion-").append(role)
                    .append("\" class=\"chart\"></div>"));
            html.append("</div>\n");
        }
        html.append("<h2>Latency</h2>\n<div id=\"chart-latency\" class=\"chart\"></div>\n");
        cost(html, result.cost());
        worstExamples(html, worst, result.primaryMetric());
        html.append("<script id=\"report-data\" type=\"application/json\">").append(Html.scriptJson(data(result, curve)))
                .append("</script>\n<script>").append(echarts()).append("</script>\n<script>").append(resource("report.js"))
                .append("</script>\n</body></html>\n");
        return html.toString();
    }

    private static void verdict(StringBuilder html, String title, EvaluationResult.Comparison c) {
        html.append("<div class=\"verdict ").append(Html.text(c.result())).append("\"><b>").append(Html.text(title))
                .append(": ").append(Html.text(c.result().replace('_', ' '))).append("</b><br>")
                .append(Html.text(c.primaryMetric())).append(" difference ").append(signed(c.difference()))
                .append(", paired bootstrap 95% interval [").append(num(c.low())).append(", ").append(num(c.high()))
                .append("], margin ").append(num(c.margin())).append("</div>\n");
    }

    private static void metricTable(StringBuilder html, EvaluationResult result) {
        List<String> roles = List.copyOf(result.models().keySet());
        html.append("<table><tr><th>metric</th>");
        roles.forEach(r -> html.append("<th>").append(ROLE_NAMES.get(r)).append("<br><small>")
                .append(Html.text(result.models().get(r).model())).append("</small></th>"));
        html.append("</tr>\n");
        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
        roles.forEach(r -> names.addAll(result.models().get(r).metrics().keySet()));
        for (String name : names) {
            html.append("<tr><td>").append(Html.text(name)).append("</td>");
            for (String r : roles) {
                Double value = result.models().get(r).metrics().get(name);
                double[] interval = result.models().get(r).intervals().get(name);
                html.append("<td class=\"num\">").append(value == null ? "" : num(value))
                        .append(interval == null ? "" : " <small>[" + num(interval[0]) + ", " + num(interval[1]) + "]</small>")
                        .append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    private static void cost(StringBuilder html, EvaluationResult.Cost cost) {
        EvaluationOptions.Prices p = cost.prices();
        html.append("<h2>Cost per 1M items</h2>\n<p class=\"meta\">Assumed prices (").append(Html.text(cost.currency()))
                .append("): ").append(num(p.deviceHour())).append(" per device-hour for the models served here; reference ")
                .append(num(p.referenceInputPerMillion())).append(" per 1M input and ").append(num(p.referenceOutputPerMillion()))
                .append(" per 1M output tokens. Throughput as measured in this evaluation on this deployment.</p>\n")
                .append("<table><tr><th>model</th><th>items/hour</th><th>device-hours per 1M items</th>")
                .append("<th>input tokens/item</th><th>output tokens/item</th><th>cost per 1M items</th></tr>\n");
        for (EvaluationResult.CostRow row : cost.rows()) {
            html.append("<tr><td>").append(ROLE_NAMES.get(row.model())).append("</td><td class=\"num\">")
                    .append(opt(row.itemsPerHour())).append("</td><td class=\"num\">").append(opt(row.deviceHoursPerMillionItems()))
                    .append("</td><td class=\"num\">").append(opt(row.inputTokensPerItem())).append("</td><td class=\"num\">")
                    .append(opt(row.outputTokensPerItem())).append("</td><td class=\"num\"><b>")
                    .append(row.costPerMillionItems() == null ? "" : Html.text(cost.currency()) + " " + money(row.costPerMillionItems()))
                    .append("</b></td></tr>\n");
        }
        html.append("</table>\n");
    }

    private static void worstExamples(StringBuilder html, List<ExampleView> worst, String primary) {
        html.append("<h2>Worst examples for the fine-tuned model</h2>\n<table><tr><th>#</th><th>input</th><th>expected</th>")
                .append("<th>base</th><th>fine-tuned</th></tr>\n");
        for (ExampleView e : worst) {
            StringBuilder input = new StringBuilder();
            e.input().forEach(m -> input.append(m.get("role")).append(": ").append(m.get("content")).append('\n'));
            html.append("<tr><td>").append(e.index()).append("<br><small>line ").append(e.line()).append("</small></td><td><pre>")
                    .append(Html.text(input.toString().strip())).append("</pre></td><td><pre>").append(Html.text(e.expected()))
                    .append("</pre></td>");
            for (String role : List.of(EvaluationResult.BASE, EvaluationResult.FINE_TUNED)) {
                ExampleView.Output o = e.outputs().get(role);
                Double score = e.scores() == null || e.scores().get(role) == null ? null : e.scores().get(role).get(primary);
                html.append("<td><pre>").append(o == null ? "" : Html.text(o.text())).append("</pre><small>")
                        .append(score == null ? "" : Html.text(primary) + " " + num(score))
                        .append(o == null ? "" : ", " + Html.text(o.finishReason())).append("</small></td>");
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    private static String data(EvaluationResult result, LossCurve curve) {
        ObjectNode data = JSON.createObjectNode();
        data.set("models", JSON.valueToTree(result.models()));
        List<String> shown = TASK_METRICS.getOrDefault(result.taskType(), List.of()).stream()
                .filter(m -> result.models().values().stream().anyMatch(r -> r.metrics().containsKey(m))).toList();
        data.set("task_metrics", JSON.valueToTree(shown));
        if (result.classification() != null) {
            data.set("classification", JSON.valueToTree(result.classification()));
        }
        if (curve != null) {
            data.set("loss", JSON.valueToTree(curve.columns()));
        }
        try {
            return JSON.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String echarts() {
        String script = echarts;
        if (script == null) {
            Properties versions = new Properties();
            try (InputStream in = ReportPage.class.getResourceAsStream("versions.properties")) {
                versions.load(in);
            } catch (IOException | NullPointerException e) {
                throw new IllegalStateException("the report's versions.properties is missing from the build", e);
            }
            String path = "/META-INF/resources/webjars/echarts/" + versions.getProperty("echarts.version") + "/echarts.min.js";
            script = read(path);
            echarts = script;
        }
        return script;
    }

    private static String resource(String name) {
        return read("/dev/tunewright/eval/report/" + name);
    }

    private static String read(String path) {
        try (InputStream in = ReportPage.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            // a script element ends at the first "</script"; neither bundled file contains one
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static String signed(double v) {
        return String.format(Locale.ROOT, "%+.3f", v);
    }

    private static String money(double v) {
        return String.format(Locale.ROOT, "%,.2f", v);
    }

    private static String opt(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%,.1f", v);
    }
}
