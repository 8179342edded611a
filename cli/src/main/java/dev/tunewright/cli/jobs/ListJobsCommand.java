package dev.tunewright.cli.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunewright.cli.ApiCommand;
import dev.tunewright.cli.Table;
import dev.tunewright.cli.TeamApiOptions;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The team's jobs, newest first. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the team's jobs, newest first.")
public class ListJobsCommand extends ApiCommand {

    @Mixin
    TeamApiOptions api;

    @Option(names = "--limit", defaultValue = "20", description = "Jobs per page, 1 to 100 (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--after", paramLabel = "JOB", description = "Start after this job (the next page).")
    String after;

    @Option(names = "--metadata", paramLabel = "KEY=VALUE", description = "Only jobs with this metadata pair; repeatable.")
    Map<String, String> metadata;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("limit", limit);
        query.put("after", after);
        if (metadata != null) {
            metadata.forEach((k, v) -> query.put("metadata[" + k + "]", v));
        }
        JsonNode page = api.teamApi().get(JobsCommand.JOBS, query);
        if (printedJson(page)) {
            return 0;
        }
        PrintWriter out = out();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "STATUS", "MODEL", "CREATED", "FINE-TUNED MODEL"});
        for (JsonNode job : page.path("data")) {
            rows.add(new String[] {job.path("id").asText(), job.path("status").asText(), job.path("model").asText(),
                    Instant.ofEpochSecond(job.path("created_at").asLong()).toString(),
                    job.path("fine_tuned_model").isTextual() ? job.path("fine_tuned_model").asText() : "-"});
        }
        if (rows.size() == 1) {
            out.println("no jobs");
        } else {
            Table.print(out, rows);
        }
        if (page.path("has_more").asBoolean()) {
            out.println("more: ftctl jobs list --after " + page.path("data").get(page.path("data").size() - 1).path("id").asText());
        }
        out.flush();
        return 0;
    }
}
