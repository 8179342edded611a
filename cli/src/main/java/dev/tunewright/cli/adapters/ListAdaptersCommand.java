package dev.tunewright.cli.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunewright.cli.Table;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the team's adapters, newest first; filters match an adapter when any of its versions does.")
public class ListAdaptersCommand extends AdapterCommand {

    @Option(names = "--base-model", paramLabel = "MODEL", description = "Only adapters with a version on this base.")
    String baseModel;

    @Option(names = "--alias", paramLabel = "ALIAS", description = "Only adapters that have this alias (production, ...).")
    String alias;

    @Option(names = "--tag", paramLabel = "TAG", description = "Only adapters with this tag.")
    String tag;

    @Option(names = "--metric", paramLabel = "NAME", description = "With --metric-min: an evaluation metric (accuracy, ...).")
    String metric;

    @Option(names = "--metric-min", paramLabel = "VALUE", description = "Only adapters with a version whose evaluation reached this value on --metric.")
    Double metricMin;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "Page size (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--after", paramLabel = "ID", description = "The page after this adapter id.")
    String after;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("base_model", baseModel);
        query.put("alias", alias);
        query.put("tag", tag);
        query.put("metric", metric);
        query.put("metric_min", metricMin);
        query.put("limit", limit);
        query.put("after", after);
        JsonNode page = api.teamApi().get("/v1/adapters", query);
        if (printedJson(page)) {
            return 0;
        }
        PrintWriter out = out();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "LATEST", "ALIASES", "VERDICT", "READINESS", "BASE MODEL", "UPDATED"});
        for (JsonNode a : page.path("data")) {
            JsonNode latest = a.path("latest");
            rows.add(new String[] {a.path("name").asText(), "v" + a.path("latest_version").asText(),
                    AdaptersCommand.aliases(a.path("aliases")), AdaptersCommand.text(latest.get("verdict")),
                    AdaptersCommand.text(latest.get("readiness")), AdaptersCommand.text(latest.get("base_model")),
                    AdaptersCommand.time(a.get("updated_at"))});
        }
        Table.print(out, rows);
        if (page.path("has_more").asBoolean()) {
            JsonNode data = page.path("data");
            out.println("more: --after " + data.get(data.size() - 1).path("id").asText());
            out.flush();
        }
        return 0;
    }
}
