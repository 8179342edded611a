package dev.tunewright.dataset.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

@ApplicationScoped
public class StoredArtifactRepository implements PanacheRepositoryBase<StoredArtifact, String> {

    /** Records that this service stores the artifact now, or refreshes the time when it already did. */
    public void touch(String artifactId, Instant at) {
        getEntityManager().createNativeQuery("insert into {h-schema}stored_artifact (artifact_id, stored_at) values (?1, ?2)"
                        + " on conflict (artifact_id) do update set stored_at = excluded.stored_at")
                .setParameter(1, artifactId).setParameter(2, at).executeUpdate();
    }

    /** The oldest artifacts last stored before {@code cutoff}, at most {@code limit} of them. */
    public List<String> storedBefore(Instant cutoff, int limit) {
        return find("storedAt < ?1", Sort.ascending("storedAt"), cutoff).page(Page.ofSize(limit)).stream()
                .map(stored -> stored.artifactId).toList();
    }
}
