package dev.tunewright.common.identity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** How services trust the team identity the gateway forwards. */
@ConfigMapping(prefix = "tunewright.identity")
public interface IdentityConfig {

    /**
     * HMAC secret shared by gateway and services ({@code TUNEWRIGHT_IDENTITY_SECRET}). Optional only in type so
     * that {@link IdentityKeys} can refuse to start with a message that says what to set.
     */
    Optional<String> secret();

    /**
     * How long a signed header stays valid after the gateway issued it; bounds replay of a captured header (which
     * only ever works for the same method, path and query). The gateway signs each request as it forwards it, so
     * this only needs to cover clock differences between machines (default 30 s).
     */
    @WithDefault("30s")
    Duration maxAge();

    /**
     * Whether a valid header is required on every non-{@code /q} path. Only the gateway turns this
     * off: it is the one that authenticates API keys and issues the header.
     */
    @WithDefault("true")
    boolean enforce();
}
