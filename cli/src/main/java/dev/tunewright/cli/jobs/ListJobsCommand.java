package dev.tunewright.cli.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunewright.cli.TeamApiOptions;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The team's jobs, newest first. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List the team's jobs, newest first.")
public class ListJobsCommand implements Callable<Integer> {

    @Mixin
    TeamApiOptions api;

    @Option(names = "--limit", defaultValue = "20", description = "Jobs per page, 1 to 100 (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--after", paramLabel = "JOB", description = "Start after this job (the next page).")
    String after;

    @Option(names = "--metadata", paramLabel = "KEY=VALUE", description = "Only jobs with this metadata pair; repeatable.")
    Map<String, String> metadata;

    @Option(names = "--json", description = "Print the API's list object.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("limit", limit);
        query.put("after", after);
        if (metadata != null) {
            metadata.forEach((k, v) -> query.put("metadata[" + k + "]", v));
        }
        JsonNode page = api.teamApi().get(JobsCommand.JOBS, query);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(JobsCommand.JSON.writeValueAsString(page));
            out.flush();
            return 0;
        }
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
            dev.tunewright.cli.Table.print(out, rows);
        }
        if (page.path("has_more").asBoolean()) {
            out.println("more: ftctl jobs list --after " + page.path("data").get(page.path("data").size() - 1).path("id").asText());
        }
        out.flush();
        return 0;
    }
}
