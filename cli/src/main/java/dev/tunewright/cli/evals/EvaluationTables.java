package dev.tunewright.cli.evals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunewright.cli.Table;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code ftctl evals show}: an evaluation as a person reads it in a terminal. */
public final class EvaluationTables {

    private EvaluationTables() {
    }

    public static void print(PrintWriter out, JsonNode e) {
        out.println("evaluation " + e.path("id").asText() + "  " + e.path("status").asText()
                + (e.hasNonNull("queue_position") ? " (position " + e.path("queue_position").asLong() + " in the queue)" : ""));
        out.println("job " + EvalsCommand.text(e.path("job_id"))
                + (e.hasNonNull("checkpoint_step") ? " at step " + e.path("checkpoint_step").asLong() : "")
                + ", base " + e.path("base_model").asText() + ", fine-tuned "
                + (e.hasNonNull("fine_tuned_model") ? e.path("fine_tuned_model").asText() : e.path("adapter_artifact_id").asText()));
        if (e.hasNonNull("error")) {
            out.println("error: " + e.path("error").asText());
        }
        if (!e.has("models")) {
            return;
        }
        out.println(e.path("examples").asInt() + " examples of the " + e.path("split").asText() + " split, task "
                + e.path("task_type").asText() + ", primary metric " + e.path("primary_metric").asText());
        verdict(out, "fine-tuned vs base", e.path("verdict"));
        if (e.hasNonNull("reference_verdict")) {
            verdict(out, "fine-tuned vs reference", e.path("reference_verdict"));
        }
        out.println();
        JsonNode models = e.path("models");
        List<String> roles = EvalsCommand.ROLES.stream().filter(models::has).toList();
        List<String[]> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("METRIC"));
        roles.forEach(r -> header.add(EvalsCommand.label(r).toUpperCase(Locale.ROOT)));
        rows.add(header.toArray(String[]::new));
        for (String metric : EvalsCommand.metricNames(models)) {
            List<String> row = new ArrayList<>(List.of(metric));
            for (String role : roles) {
                JsonNode value = models.path(role).path("metrics").path(metric);
                JsonNode interval = models.path(role).path("intervals").path(metric);
                row.add(value.isNumber() ? String.format(Locale.ROOT, "%.3f", value.asDouble())
                        + (interval.isArray() ? String.format(Locale.ROOT, " [%.3f, %.3f]", interval.get(0).asDouble(),
                        interval.get(1).asDouble()) : "") : "");
            }
            rows.add(row.toArray(String[]::new));
        }
        Table.print(out, rows);
        JsonNode cost = e.path("cost");
        if (cost.isObject()) {
            JsonNode prices = cost.path("prices");
            out.println();
            out.printf(Locale.ROOT, "cost per 1M items (%s; assumed %.2f per device-hour, reference %.2f / %.2f per 1M input /"
                            + " output tokens)%n", cost.path("currency").asText(), prices.path("device_hour").asDouble(),
                    prices.path("reference_input_per_million").asDouble(), prices.path("reference_output_per_million").asDouble());
            List<String[]> costRows = new ArrayList<>();
            costRows.add(new String[] {"MODEL", "ITEMS/HOUR", "DEVICE-HOURS/1M", "TOKENS IN/OUT PER ITEM", "COST/1M ITEMS"});
            for (JsonNode row : cost.path("rows")) {
                costRows.add(new String[] {EvalsCommand.label(row.path("model").asText()), number(row.path("items_per_hour"), "%,.0f"),
                        number(row.path("device_hours_per_million_items"), "%,.2f"),
                        row.has("input_tokens_per_item") ? number(row.path("input_tokens_per_item"), "%.1f") + " / "
                                + number(row.path("output_tokens_per_item"), "%.1f") : "",
                        number(row.path("cost_per_million_items"), "%,.2f")});
            }
            Table.print(out, costRows);
        }
        for (JsonNode note : e.path("notes")) {
            out.println("note: " + note.asText());
        }
        out.println("report: ftctl evals report " + e.path("id").asText());
    }

    private static void verdict(PrintWriter out, String title, JsonNode v) {
        out.printf(Locale.ROOT, "%s: %s (%s %+.3f, 95%% CI [%.3f, %.3f], margin %.3f)%n", title,
                v.path("result").asText().replace('_', ' '), v.path("primary_metric").asText(),
                v.path("difference").asDouble(), v.path("low").asDouble(), v.path("high").asDouble(),
                v.path("margin").asDouble());
    }

    private static String number(JsonNode node, String format) {
        return node.isNumber() ? String.format(Locale.ROOT, format, node.asDouble()) : "";
    }
}
