package dev.tunewright.common.identity;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The one {@link IdentitySigner} of a service, built at startup so that a missing secret stops the service at once
 * instead of turning every request into a 401. Filters reach configuration through this bean because Quarkus REST
 * creates them during static init, before runtime configuration mappings exist.
 */
@Startup
@ApplicationScoped
public class IdentityKeys {

    private final IdentitySigner signer;
    private final boolean enforce;

    public IdentityKeys(IdentityConfig config) {
        String secret = config.secret().filter(s -> !s.isBlank()).orElseThrow(() -> new IllegalStateException(
                "tunewright.identity.secret is not set. Every tunewright service needs the identity secret it shares"
                        + " with the gateway: set the environment variable TUNEWRIGHT_IDENTITY_SECRET."));
        this.signer = new IdentitySigner(secret, config.maxAge());
        this.enforce = config.enforce();
    }

    /** See {@link IdentityConfig#enforce()}. */
    public boolean enforce() {
        return enforce;
    }

    public IdentitySigner signer() {
        return signer;
    }
}
