package dev.tunewright.cli.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunewright.cli.TeamApiOptions;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What every {@code ftctl adapters} command has: the team's API, {@code --json}, and its output. */
abstract class AdapterCommand implements Callable<Integer> {

    @Mixin
    TeamApiOptions api;

    @Option(names = "--json", description = "Print the API's JSON answer.")
    boolean json;

    @Spec
    CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Prints {@code answer} as JSON when --json was given; returns whether it did. */
    boolean printedJson(JsonNode answer) throws Exception {
        if (json) {
            AdaptersCommand.printJson(out(), answer);
        }
        return json;
    }
}
