package dev.tunewright.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunewright.stack.AdminApi;
import java.io.PrintWriter;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** A team's API keys: a new one for rotation, revoking a leaked or retired one. */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Create, rotate and revoke API keys.",
        subcommands = {
                TeamKeysCommand.Create.class,
                TeamKeysCommand.Rotate.class,
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

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Create a new API key for a team; its current keys keep working for the grace period, then"
                    + " are refused, so clients switch over without downtime.")
    public static class Rotate extends AdminCommand {

        private static final Pattern GRACE = Pattern.compile("(\\d{1,9})([smhd])?");

        @Parameters(index = "0", paramLabel = "TEAM", description = "Team name.")
        String team;

        @Option(names = "--grace", paramLabel = "DURATION",
                description = "How long the old keys keep working: 90s, 30m, 24h, 7d (default: the gateway's"
                        + " tunewright.gateway.key-rotation-grace, 24h); 0 ends them at once.")
        String grace;

        @Option(names = "--key", paramLabel = "KEY_ID", description = "Retire only this key (default: every current key).")
        String keyId;

        @Override
        JsonNode answer(AdminApi api) {
            Long seconds = null;
            if (grace != null) {
                seconds = graceSeconds(grace).orElseThrow(() -> new ParameterException(spec.commandLine(),
                        "--grace must be 0 or a whole number with s, m, h or d (90s, 30m, 24h, 7d), was '" + grace + "'"));
            }
            return api.rotateKeys(team, seconds, keyId);
        }

        /** {@code 0}, or a whole number with s, m, h or d, as an operator writes a grace period; empty otherwise. */
        static OptionalLong graceSeconds(String text) {
            Matcher m = GRACE.matcher(text.trim());
            if (!m.matches()) {
                return OptionalLong.empty();
            }
            long amount = Long.parseLong(m.group(1));
            if (m.group(2) == null) {
                return amount == 0 ? OptionalLong.of(0) : OptionalLong.empty();
            }
            return OptionalLong.of(switch (m.group(2)) {
                case "m" -> amount * 60;
                case "h" -> amount * 3600;
                case "d" -> amount * 86400;
                default -> amount;
            });
        }

        @Override
        void print(PrintWriter out, JsonNode rotation) {
            printNewKey(out, "created ", rotation.path("api_key"), " for team " + rotation.path("team").asText(team));
            for (JsonNode old : rotation.path("retiring")) {
                out.println("API key " + old.path("id").asText() + " (prefix " + old.path("prefix").asText()
                        + ") works until " + old.path("expires_at").asText());
            }
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
