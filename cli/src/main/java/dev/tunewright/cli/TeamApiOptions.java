package dev.tunewright.cli;

import dev.tunewright.stack.StackException;
import dev.tunewright.stack.StateDir;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How team commands reach the platform: the gateway of the local stack with its default team's key by default, or
 * any gateway through --gateway-url with --api-key or $TUNEWRIGHT_API_KEY.
 */
public class TeamApiOptions {

    static final String KEY_ENV = "TUNEWRIGHT_API_KEY";

    @Mixin
    StateDirOption state;

    @Option(names = "--gateway-url", paramLabel = "URL",
            description = "Gateway to talk to (default: the one of the running local stack).")
    String gatewayUrl;

    @Option(names = "--api-key", paramLabel = "KEY",
            description = "Team API key (default: $TUNEWRIGHT_API_KEY, else the local stack's default team key).")
    String apiKey;

    public TeamApi teamApi() {
        StateDir stateDir = state.resolve();
        return new TeamApi(GatewayOptions.gatewayUrl(gatewayUrl, stateDir), apiKey(stateDir));
    }

    private String apiKey(StateDir stateDir) {
        if (apiKey != null && !apiKey.isBlank()) {
            return apiKey.trim();
        }
        String fromEnv = System.getenv(KEY_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.trim();
        }
        return stateDir.readSecret(StateDir.DEFAULT_API_KEY).orElseThrow(() -> new StackException("no API key: pass"
                + " --api-key, set " + KEY_ENV + " or use the state dir of a local stack (looked for "
                + stateDir.secrets().resolve(StateDir.DEFAULT_API_KEY) + ")"));
    }
}
