package dev.tunewright.cli.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** A job's recent events, oldest first, as lines a person reads. */
@Command(name = "events", mixinStandardHelpOptions = true, description = "Show a job's most recent events, oldest first.")
public class JobEventsCommand implements Callable<Integer> {

    @Mixin
    JobArgs args;

    @Option(names = "--limit", defaultValue = "20", description = "How many of the newest events, 1 to 100 (default: ${DEFAULT-VALUE}).")
    int limit;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        JsonNode page = args.teamApi().get(args.path("/events"), Map.of("limit", limit));
        PrintWriter out = spec.commandLine().getOut();
        if (args.json) {
            out.println(JobsCommand.JSON.writeValueAsString(page));
        } else {
            List<JsonNode> events = new ArrayList<>();
            page.path("data").forEach(events::add);
            for (int i = events.size() - 1; i >= 0; i--) {
                out.println(JobFollower.line(events.get(i)));
            }
        }
        out.flush();
        return 0;
    }
}
