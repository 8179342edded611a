package dev.tunewright.cli.jobs;

import dev.tunewright.cli.GatewayOptions;
import dev.tunewright.stack.StackException;
import dev.tunewright.stack.StateDir;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How team commands reach the platform: the gateway (the local stack's by default) with a team API key, from
 * --api-key, else $TUNEWRIGHT_API_KEY, else the local stack's default team key in its state dir.
 */
public class TeamApiOptions {

    static final String KEY_ENV = "TUNEWRIGHT_API_KEY";

    @Mixin
    GatewayOptions gateway;

    @Option(names = "--api-key", paramLabel = "KEY",
            description = "Team API key (default: $TUNEWRIGHT_API_KEY, else the local stack's default team key).")
    String apiKey;

    TeamApi api() {
        return new TeamApi(gateway.url(), key());
    }

    private String key() {
        if (apiKey != null && !apiKey.isBlank()) {
            return apiKey.trim();
        }
        String fromEnv = System.getenv(KEY_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.trim();
        }
        StateDir stateDir = gateway.stateDir();
        return stateDir.readSecret(StateDir.DEFAULT_API_KEY).orElseThrow(() -> new StackException("no API key: pass"
                + " --api-key, set " + KEY_ENV + " or use the state dir of a local stack (looked for "
                + stateDir.secrets().resolve(StateDir.DEFAULT_API_KEY) + ")"));
    }
}
