package dev.tunewright.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What the teams and keys commands that answer with the gateway's JSON share: its admin API, and {@code --json}. */
abstract class AdminCommand implements Callable<Integer> {

    @Mixin
    GatewayOptions gateway;

    @Mixin
    JsonOption json;

    @Spec
    CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Prints the gateway's {@code answer} when --json was given; returns whether it did. */
    boolean printedJson(JsonNode answer) throws Exception {
        if (json.requested()) {
            out().println(TeamsCommand.JSON.writeValueAsString(answer));
        }
        return json.requested();
    }
}
