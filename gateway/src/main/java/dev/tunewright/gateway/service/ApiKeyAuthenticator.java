package dev.tunewright.gateway.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tunewright.common.identity.TeamIdentity;
import dev.tunewright.gateway.config.GatewayConfig;
import dev.tunewright.gateway.repository.ApiKeyRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Resolves an API key to its team. Blocking (database); the proxy calls it off the event loop. Results, misses
 * included, are cached for {@link GatewayConfig#keyCacheTtl()} because every proxied request needs one, and
 * revocation only has to take effect within seconds. A rotated key's expiry travels with the cached result and is
 * checked on every use, so an instance that has seen the rotation refuses the key from its deadline on.
 */
@ApplicationScoped
public class ApiKeyAuthenticator {

    /** A cached lookup: the key's team and when it stops working (null: never). */
    private record Resolved(TeamIdentity team, Instant expiresAt) {
    }

    private final ApiKeyRepository keys;
    private final Cache<String, Optional<Resolved>> cache;
    private final Clock clock;

    public ApiKeyAuthenticator(ApiKeyRepository keys, GatewayConfig config, Clock clock) {
        this.keys = keys;
        this.clock = clock;
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
        Instant now = clock.instant();
        // The expiry is checked on every use, cached or not: a rotated key stops at its deadline, not up to a TTL later.
        return cache.get(ApiKeys.hash(key), hash -> keys.findUnrevokedByHash(hash)
                        .map(found -> new Resolved(new TeamIdentity(found.team().id.toString(), found.team().name),
                                found.expiresAt())))
                .filter(resolved -> resolved.expiresAt() == null || now.isBefore(resolved.expiresAt()))
                .map(Resolved::team);
    }

    /** Forgets a key at once, on this instance; called after revocation commits. */
    public void forget(String keyHash) {
        cache.invalidate(keyHash);
    }
}
