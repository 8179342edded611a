package dev.tunewright.gateway.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class ApiKeyRepository implements PanacheRepositoryBase<ApiKey, UUID> {

    public List<ApiKey> listForTeam(UUID teamId) {
        return list("teamId", Sort.by("createdAt").and("id"), teamId);
    }

    /** An unrevoked key with this hash and its team; whether it expired is the caller's check, at use time. */
    public record Unrevoked(Team team, Instant expiresAt) {
    }

    /** The unrevoked key with this hash, if any: one indexed lookup per cache miss. */
    public Optional<Unrevoked> findUnrevokedByHash(String keyHash) {
        return getEntityManager().createQuery(
                        "select t, k.expiresAt from Team t, ApiKey k where k.teamId = t.id and k.keyHash = :hash"
                                + " and k.revokedAt is null", Object[].class)
                .setParameter("hash", keyHash)
                .getResultStream()
                .findFirst()
                .map(row -> new Unrevoked((Team) row[0], (Instant) row[1]));
    }
}
