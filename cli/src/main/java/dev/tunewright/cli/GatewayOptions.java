package dev.tunewright.cli;

import dev.tunewright.stack.AdminApi;
import dev.tunewright.stack.StackException;
import dev.tunewright.stack.StackState;
import dev.tunewright.stack.StateDir;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How admin commands reach the gateway: the local stack's URL and admin token by default, or any gateway through
 * --gateway-url and $TUNEWRIGHT_ADMIN_TOKEN.
 */
public class GatewayOptions {

    static final String TOKEN_ENV = "TUNEWRIGHT_ADMIN_TOKEN";

    @Mixin
    StateDirOption state;

    @Option(names = "--gateway-url", paramLabel = "URL",
            description = "Gateway to talk to (default: the one of the running local stack).")
    String gatewayUrl;

    AdminApi adminApi() {
        StateDir stateDir = state.resolve();
        return new AdminApi(gatewayUrl(stateDir), adminToken(stateDir));
    }

    private String gatewayUrl(StateDir stateDir) {
        return gatewayUrl(gatewayUrl, stateDir);
    }

    /** The --gateway-url given, else the URL of the local stack running from {@code stateDir}. */
    static String gatewayUrl(String option, StateDir stateDir) {
        if (option != null && !option.isBlank()) {
            return option;
        }
        return StackState.read(stateDir.stackFile()).flatMap(StackState::gatewayUrl)
                .orElseThrow(() -> new StackException("no running stack in " + stateDir
                        + "; start one with: ftctl stack up --detach, or pass --gateway-url"));
    }

    private static String adminToken(StateDir stateDir) {
        String fromEnv = System.getenv(TOKEN_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.trim();
        }
        Optional<String> stored = stateDir.readSecret(StateDir.ADMIN_TOKEN);
        return stored.orElseThrow(() -> new StackException("no admin token: set " + TOKEN_ENV + " or use the state dir of a local stack (looked for "
                + stateDir.secrets().resolve(StateDir.ADMIN_TOKEN) + ")"));
    }
}
