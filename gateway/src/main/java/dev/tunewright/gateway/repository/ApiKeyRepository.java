package dev.tunewright.gateway.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class ApiKeyRepository implements PanacheRepositoryBase<ApiKey, UUID> {

    public List<ApiKey> listForTeam(UUID teamId) {
        return list("teamId", Sort.by("createdAt").and("id"), teamId);
    }

    /** The team of an active key with this hash, if any: one indexed lookup per cache miss. */
    public Optional<Team> findActiveTeamByHash(String keyHash) {
        return getEntityManager().createQuery(
                        "select t from Team t, ApiKey k where k.teamId = t.id and k.keyHash = :hash"
                                + " and k.revokedAt is null", Team.class)
                .setParameter("hash", keyHash)
                .getResultStream()
                .findFirst();
    }
}
