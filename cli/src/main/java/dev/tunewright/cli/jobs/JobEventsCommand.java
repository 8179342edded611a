package dev.tunewright.cli.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** A job's recent events, oldest first, as lines a person reads. */
@Command(name = "events", mixinStandardHelpOptions = true, description = "Show a job's most recent events, oldest first.")
public class JobEventsCommand extends JobCommand {

    @Option(names = "--limit", defaultValue = "20", description = "How many of the newest events, 1 to 100 (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() throws Exception {
        JsonNode page = teamApi().get(path("/events"), Map.of("limit", limit));
        if (printedJson(page)) {
            return 0;
        }
        PrintWriter out = out();
        List<JsonNode> events = new ArrayList<>();
        page.path("data").forEach(events::add);
        for (int i = events.size() - 1; i >= 0; i--) {
            out.println(JobFollower.line(events.get(i)));
        }
        out.flush();
        return 0;
    }
}
