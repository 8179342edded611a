package dev.tunewright.cli.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "promote", mixinStandardHelpOptions = true,
        description = "Point an alias (candidate, staging, production, any name) at a version. production moves only"
                + " through the promotion gate; --force with --reason overrides the evaluation evidence (audited),"
                + " never a failed serving-readiness check.")
public class PromoteAdapterCommand extends AdapterCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "Adapter name.")
    String name;

    @Parameters(index = "1", paramLabel = "ALIAS", description = "Alias to move.")
    String alias;

    @Option(names = "--version", paramLabel = "N", required = true, description = "The version the alias will point to.")
    int version;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why; kept in the alias's history (required with --force).")
    String reason;

    @Option(names = "--force", description = "Override the gate's refusal (no evaluation, no improvement, a regression).")
    boolean force;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", version);
        if (reason != null) {
            body.put("reason", reason);
        }
        if (force) {
            body.put("force", true);
        }
        JsonNode moved = api.teamApi().send("PUT", "/v1/adapters/" + name + "/aliases/" + alias, body);
        if (printedJson(moved)) {
            return 0;
        }
        PrintWriter out = out();
        JsonNode move = moved.path("move");
        if (!moved.path("changed").asBoolean()) {
            out.println(name + "@" + alias + " already points to v" + version);
        } else {
            out.println(name + "@" + alias + " -> v" + version
                    + (move.hasNonNull("from_version") ? " (was v" + move.path("from_version").asText() + ")" : "")
                    + (move.path("forced").asBoolean() ? ", forced past: " + move.path("overridden") : ""));
        }
        out.flush();
        return 0;
    }
}
