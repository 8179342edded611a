package dev.tunewright.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunewright.stack.AdminApi;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** A team's API keys: a new one for rotation, revoking a leaked or retired one. */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Create and revoke API keys.",
        subcommands = {
                TeamKeysCommand.Create.class,
                TeamKeysCommand.Revoke.class
        })
public class TeamKeysCommand extends CommandGroup {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create an API key for a team; the key is shown only this once.")
    public static class Create extends AdminCommand {

        @Parameters(index = "0", paramLabel = "TEAM", description = "Team name.")
        String team;

        @Override
        JsonNode answer(AdminApi api) {
            return api.createKey(team);
        }

        @Override
        void print(PrintWriter out, JsonNode key) {
            printNewKey(out, "created ", key, " for team " + key.path("team").asText(team));
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke an API key; it stops working at once.")
    public static class Revoke implements Callable<Integer> {

        @Mixin
        GatewayOptions gateway;

        @Parameters(index = "0", paramLabel = "KEY_ID", description = "Id of the key (not the key itself).")
        String keyId;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            JsonNode revoked = gateway.adminApi().revokeKey(keyId);
            spec.commandLine().getOut().println("revoked API key " + revoked.path("id").asText(keyId)
                    + " at " + revoked.path("revoked_at").asText());
            return 0;
        }
    }
}
