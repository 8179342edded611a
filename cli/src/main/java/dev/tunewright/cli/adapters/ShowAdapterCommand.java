package dev.tunewright.cli.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunewright.cli.Table;
import dev.tunewright.cli.TeamApi;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Show an adapter and its versions, or one version (NAME@ALIAS or --version) with its lineage,"
                + " files, evaluation and serving-readiness checks.")
public class ShowAdapterCommand extends AdapterCommand {

    @Mixin
    VersionArgs args;

    @Override
    public Integer call() throws Exception {
        AdapterRef ref = args.ref();
        TeamApi teamApi = api.teamApi();
        JsonNode answer = ref.namesVersion() ? ref.resolve(teamApi) : teamApi.get("/v1/adapters/" + ref.name(), Map.of());
        if (printedJson(answer)) {
            return 0;
        }
        PrintWriter out = out();
        if (ref.namesVersion()) {
            printVersion(out, answer);
        } else {
            printAdapter(out, answer);
        }
        out.flush();
        return 0;
    }

    private static void printAdapter(PrintWriter out, JsonNode a) {
        out.println(a.path("name").asText() + " (" + a.path("id").asText() + ")"
                + (a.hasNonNull("description") ? ": " + a.path("description").asText() : ""));
        List<String> tags = new ArrayList<>();
        a.path("tags").forEach(t -> tags.add(t.asText()));
        out.println("tags: " + (tags.isEmpty() ? "-" : String.join(", ", tags)));
        out.println("aliases: " + AdaptersCommand.aliases(a.path("aliases")));
        out.println();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"VERSION", "JOB", "VERDICT", "METRIC", "READINESS", "ALIASES", "CREATED"});
        for (JsonNode v : a.path("versions")) {
            List<String> held = new ArrayList<>();
            v.path("aliases").forEach(x -> held.add(x.asText()));
            String metric = v.hasNonNull("primary_metric")
                    ? v.path("primary_metric").asText() + " " + AdaptersCommand.text(v.get("primary_metric_value")) : "-";
            rows.add(new String[] {"v" + v.path("version").asText(), v.path("job_id").asText(),
                    AdaptersCommand.text(v.get("verdict")), metric, v.path("readiness").asText(),
                    held.isEmpty() ? "-" : String.join(", ", held), AdaptersCommand.time(v.get("created_at"))});
        }
        Table.print(out, rows);
    }

    private static void printVersion(PrintWriter out, JsonNode v) {
        JsonNode lineage = v.path("lineage");
        JsonNode base = lineage.path("base_model");
        JsonNode dataset = lineage.path("dataset");
        out.println(v.path("adapter").asText() + " v" + v.path("version").asText() + "  " + AdaptersCommand.text(v.get("fine_tuned_model")));
        out.println("job:         " + v.path("job_id").asText() + " (engine " + AdaptersCommand.text(lineage.get("engine_version"))
                + ", seed " + AdaptersCommand.text(lineage.get("seed")) + ")");
        out.println("base model:  " + base.path("id").asText() + " @ " + AdaptersCommand.text(base.get("revision"))
                + " (weights sha256 " + AdaptersCommand.text(base.get("weights_sha256")) + ")");
        out.println("dataset:     " + AdaptersCommand.text(dataset.get("id")) + " (sha256 " + AdaptersCommand.text(dataset.get("sha256")) + ")");
        List<String> aliases = new ArrayList<>();
        v.path("aliases").forEach(x -> aliases.add(x.asText()));
        out.println("aliases:     " + (aliases.isEmpty() ? "-" : String.join(", ", aliases)));
        JsonNode e = v.path("evaluation");
        if (e.isObject()) {
            String metric = e.path("primary_metric").asText("");
            out.println("evaluation:  " + AdaptersCommand.text(e.get("verdict")) + (metric.isEmpty() ? "" : ", " + metric + " "
                    + AdaptersCommand.text(e.path("tuned_metrics").get(metric)) + " against the base's "
                    + AdaptersCommand.text(e.path("base_metrics").get(metric)))
                    + (e.hasNonNull("message") ? " (" + e.path("message").asText() + ")" : ""));
        } else {
            out.println("evaluation:  none yet");
        }
        JsonNode readiness = v.path("readiness");
        out.println("readiness:   " + readiness.path("status").asText());
        for (JsonNode check : readiness.path("checks")) {
            out.println("  " + (check.path("passed").asBoolean() ? "ok   " : "FAIL ") + check.path("check").asText() + ": "
                    + check.path("reason").asText());
        }
        out.println("files (" + v.path("artifact").path("bytes").asText() + " bytes):");
        v.path("artifact").path("files").fields().forEachRemaining(f -> out.println("  " + f.getKey() + "  "
                + f.getValue().path("bytes").asText() + " bytes  sha256 " + f.getValue().path("sha256").asText()));
    }
}
