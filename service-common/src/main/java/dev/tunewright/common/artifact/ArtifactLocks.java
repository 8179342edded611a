package dev.tunewright.common.artifact;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.Collection;
import java.util.HexFormat;
import java.util.TreeSet;

/**
 * Serialises what decides whether an artifact's bytes stay in the shared, content-addressed store. Two teams (or
 * two services) that store the same bytes share one copy, so a delete must never interleave with a publication:
 * <ul>
 *   <li>publishing takes the lock, renames the bytes into the store and records the row that points at them, all
 *       in one transaction;</li>
 *   <li>releasing takes the lock, checks that no row points at the artifact any more and only then deletes it.</li>
 * </ul>
 * A release therefore sees either no publication at all (and the publisher renames its own copy in afterwards) or
 * its committed row. The locks are PostgreSQL transaction-level advisory locks keyed by the artifact id, held by
 * every service and instance on the same database, and released by the commit or rollback itself.
 */
@ApplicationScoped
public class ArtifactLocks {

    private final EntityManager entityManager;

    public ArtifactLocks(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /**
     * Locks the artifacts until the current transaction ends, waiting for any other holder. Several ids are
     * locked in one order (sorted), so two transactions locking overlapping sets cannot deadlock, provided each
     * transaction takes all its artifact locks in one call.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lock(Collection<String> artifactIds) {
        for (String id : new TreeSet<>(artifactIds)) {
            entityManager.createNativeQuery("select 1 from pg_advisory_xact_lock(?1)").setParameter(1, key(id))
                    .getSingleResult();
        }
    }

    /**
     * The 64-bit lock key of an artifact: the first 16 hex digits of its SHA-256 (ids are {@code sha256-<hex>}),
     * so keys are spread evenly and the same in every service. Another id shape is hashed by its string hash; a
     * collision only makes two artifacts share a lock.
     */
    static long key(String artifactId) {
        String hex = artifactId.startsWith("sha256-") ? artifactId.substring("sha256-".length()) : "";
        if (hex.length() >= 16 && hex.chars().limit(16).allMatch(c -> Character.digit(c, 16) >= 0)) {
            return HexFormat.fromHexDigitsToLong(hex, 0, 16);
        }
        return artifactId.hashCode();
    }
}
