package dev.tunewright.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunewright.stack.AdminApi;
import java.io.PrintWriter;
import picocli.CommandLine.Mixin;

/** A teams or keys command: one call of the gateway's admin API, its answer printed as JSON or as text. */
abstract class AdminCommand extends ApiCommand {

    @Mixin
    GatewayOptions gateway;

    @Override
    public Integer call() throws Exception {
        JsonNode answer = answer(gateway.adminApi());
        if (!printedJson(answer)) {
            print(out(), answer);
        }
        return 0;
    }

    abstract JsonNode answer(AdminApi api);

    abstract void print(PrintWriter out, JsonNode answer);

    /** A new API key in the answer of the gateway, which shows it this once only. */
    static void printNewKey(PrintWriter out, String before, JsonNode key, String after) {
        out.println(before + "API key " + key.path("id").asText() + " (prefix " + key.path("prefix").asText() + ")"
                + after + ", shown only now:");
        out.println("  " + key.path("key").asText());
    }
}
