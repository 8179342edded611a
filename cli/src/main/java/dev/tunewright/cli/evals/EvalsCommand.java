package dev.tunewright.cli.evals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunewright.cli.ApiCommand;
import dev.tunewright.cli.CommandGroup;
import dev.tunewright.cli.Table;
import dev.tunewright.cli.TeamApiOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Evaluations of the team's fine-tunes: was it worth it, by the numbers. */
@Command(name = "evals", mixinStandardHelpOptions = true,
        description = "List evaluations, show one side by side, page through its examples, save its report.",
        subcommands = {EvalsCommand.ListEvals.class, EvalsCommand.Show.class, EvalsCommand.Examples.class,
                EvalsCommand.Report.class})
public class EvalsCommand extends CommandGroup {

    static final String PATH = "/v1/evaluations";
    static final List<String> ROLES = List.of("base", "fine_tuned", "reference");

    /** What every evals command takes: the team API, and --json for the API's own answer. */
    abstract static class EvalCommand extends ApiCommand {
        @Mixin
        TeamApiOptions api;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The team's evaluations, newest first.")
    public static class ListEvals extends EvalCommand {
        @Option(names = "--limit", defaultValue = "20", paramLabel = "N", description = "At most N (1-100). Default: ${DEFAULT-VALUE}.")
        int limit;

        @Option(names = "--after", paramLabel = "ID", description = "Start after this evaluation (the next page).")
        String after;

        @Override
        public Integer call() throws Exception {
            JsonNode page = api.teamApi().get(PATH, params("limit", limit, "after", after));
            if (printedJson(page)) {
                return 0;
            }
            PrintWriter out = out();
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"ID", "STATUS", "JOB", "MODEL", "TASK", "VERDICT", "DIFFERENCE (95% CI)"});
            for (JsonNode e : page.path("data")) {
                rows.add(new String[] {e.path("id").asText(), e.path("status").asText(), text(e.path("job_id")),
                        e.hasNonNull("fine_tuned_model") ? e.path("fine_tuned_model").asText() : e.path("adapter_artifact_id").asText(),
                        text(e.path("task_type")), text(e.path("verdict").path("result")), difference(e.path("verdict"))});
            }
            Table.print(out, rows);
            if (page.path("has_more").asBoolean()) {
                out.println("more: ftctl evals list --after " + page.path("data").get(page.path("data").size() - 1).path("id").asText());
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "One evaluation: the models' metrics side by side, the verdicts with their intervals, the cost.")
    public static class Show extends EvalCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public Integer call() throws Exception {
            JsonNode e = api.teamApi().get(PATH + "/" + id, Map.of());
            if (!printedJson(e)) {
                EvaluationTables.print(out(), e);
                out().flush();
            }
            return 0;
        }
    }

    @Command(name = "examples", mixinStandardHelpOptions = true,
            description = "The held-out examples with each model's answer and score.")
    public static class Examples extends EvalCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Option(names = "--limit", defaultValue = "20", paramLabel = "N", description = "At most N (1-100). Default: ${DEFAULT-VALUE}.")
        int limit;

        @Option(names = "--after", paramLabel = "INDEX", description = "Start after this example index (the next page).")
        Integer after;

        @Option(names = "--disagreements", description = "Only examples where base and fine-tuned score differently.")
        boolean disagreements;

        @Override
        public Integer call() throws Exception {
            JsonNode page = api.teamApi().get(PATH + "/" + id + "/examples",
                    params("limit", limit, "after", after, "disagreements", disagreements ? true : null));
            if (printedJson(page)) {
                return 0;
            }
            PrintWriter out = out();
            for (JsonNode example : page.path("data")) {
                out.println("#" + example.path("index").asInt() + " (line " + example.path("line").asLong() + ")");
                for (JsonNode message : example.path("input")) {
                    out.println("  " + message.path("role").asText() + ": " + oneLine(message.path("content").asText()));
                }
                out.println("  expected:   " + oneLine(example.path("expected").asText()));
                for (String role : ROLES) {
                    JsonNode output = example.path("outputs").path(role);
                    if (!output.isMissingNode()) {
                        out.printf(Locale.ROOT, "  %-11s %s  [%s%s]%n", label(role) + ":", oneLine(output.path("text").asText()),
                                output.path("finish_reason").asText(), scores(example.path("scores").path(role)));
                    }
                }
            }
            if (page.path("has_more").asBoolean()) {
                JsonNode data = page.path("data");
                out.println("more: ftctl evals examples " + id + " --after " + data.get(data.size() - 1).path("index").asInt()
                        + (disagreements ? " --disagreements" : ""));
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "report", mixinStandardHelpOptions = true,
            description = "Save the evaluation's report (one HTML page that works offline) and print where.")
    public static class Report implements Callable<Integer> {
        @Mixin
        TeamApiOptions api;

        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Where to write it (default: ID.html here).")
        Path file;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            Path target = (file != null ? file : Path.of(id + ".html")).toAbsolutePath();
            api.teamApi().download(PATH + "/" + id + "/report.html", target);
            spec.commandLine().getOut().println(target);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    static Map<String, Object> params(Object... pairs) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.put((String) pairs[i], pairs[i + 1]);
        }
        return out;
    }

    static String label(String role) {
        return role.equals("fine_tuned") ? "fine-tuned" : role;
    }

    static String text(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? "-" : node.asText();
    }

    static String difference(JsonNode verdict) {
        if (!verdict.hasNonNull("difference")) {
            return "-";
        }
        return String.format(Locale.ROOT, "%+.3f [%.3f, %.3f]", verdict.path("difference").asDouble(),
                verdict.path("low").asDouble(), verdict.path("high").asDouble());
    }

    private static String scores(JsonNode scores) {
        StringBuilder out = new StringBuilder();
        scores.fields().forEachRemaining(f -> out.append(", ").append(f.getKey()).append(' ')
                .append(String.format(Locale.ROOT, "%.3f", f.getValue().asDouble())));
        return out.toString();
    }

    private static String oneLine(String text) {
        String flat = text.replace("\n", "\\n");
        return flat.length() > 160 ? flat.substring(0, 157) + "..." : flat;
    }

    /** Metric names in the order the models report them, without repeats. */
    static List<String> metricNames(JsonNode models) {
        Set<String> names = new LinkedHashSet<>();
        for (String role : ROLES) {
            models.path(role).path("metrics").fieldNames().forEachRemaining(names::add);
        }
        return List.copyOf(names);
    }
}
