package dev.tunewright.gateway.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tunewright.common.identity.TeamIdentity;
import dev.tunewright.gateway.config.GatewayConfig;
import dev.tunewright.gateway.repository.ApiKeyRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Optional;

/**
 * Resolves an API key to its team. Blocking (database); the proxy calls it off the event loop. Results, misses
 * included, are cached for {@link GatewayConfig#keyCacheTtl()} because every proxied request needs one, and
 * revocation only has to take effect within seconds.
 */
@ApplicationScoped
public class ApiKeyAuthenticator {

    private final ApiKeyRepository keys;
    private final Cache<String, Optional<TeamIdentity>> cache;

    public ApiKeyAuthenticator(ApiKeyRepository keys, GatewayConfig config) {
        this.keys = keys;
        this.cache = Caffeine.newBuilder()
                .expireAfterWrite(config.keyCacheTtl())
                .maximumSize(10_000)
                .build();
    }

    /** The team of an active key, from an {@code Authorization} header value (which may be null). */
    @Transactional
    public Optional<TeamIdentity> authenticate(String authorizationHeader) {
        String key = ApiKeys.fromAuthorization(authorizationHeader);
        if (!ApiKeys.looksLikeKey(key)) {
            return Optional.empty();
        }
        return cache.get(ApiKeys.hash(key), hash -> keys.findActiveTeamByHash(hash)
                .map(team -> new TeamIdentity(team.id.toString(), team.name)));
    }

    /** Forgets a key at once, on this instance; called after revocation commits. */
    public void forget(String keyHash) {
        cache.invalidate(keyHash);
    }
}
