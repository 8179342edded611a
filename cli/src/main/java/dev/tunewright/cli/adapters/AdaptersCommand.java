package dev.tunewright.cli.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunewright.cli.CommandGroup;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/** The adapter registry from the command line, as a team (its API key) sees it. */
@Command(name = "adapters", mixinStandardHelpOptions = true,
        description = "List, inspect, promote, download and deploy registered adapters (registry API, team key).",
        subcommands = {
                ListAdaptersCommand.class,
                ShowAdapterCommand.class,
                PromoteAdapterCommand.class,
                DownloadAdapterCommand.class,
                AdapterRecipeCommand.class
        })
public class AdaptersCommand extends CommandGroup {

    /** Unix seconds as an ISO instant; "-" for none. */
    static String time(JsonNode seconds) {
        return seconds == null || seconds.isNull() || seconds.isMissingNode() ? "-"
                : Instant.ofEpochSecond(seconds.asLong()).toString();
    }

    static String text(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? "-" : node.asText();
    }

    /** {@code production=2, staging=3}, or "-". */
    static String aliases(JsonNode aliases) {
        List<String> out = new ArrayList<>();
        aliases.fields().forEachRemaining(e -> out.add(e.getKey() + "=" + e.getValue().asText()));
        return out.isEmpty() ? "-" : String.join(", ", out);
    }
}
