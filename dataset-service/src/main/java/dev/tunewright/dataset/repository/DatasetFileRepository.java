package dev.tunewright.dataset.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** Files are always looked up through the caller's team: another team's file does not exist for it. */
@ApplicationScoped
public class DatasetFileRepository implements PanacheRepositoryBase<DatasetFile, String> {

    public Optional<DatasetFile> findOfTeam(String teamId, String id) {
        return find("id = ?1 and teamId = ?2 and deletedAt is null", id, teamId).firstResultOptional();
    }

    public List<DatasetFile> pageOfTeam(String teamId, int limit) {
        return find("teamId = ?1 and deletedAt is null", Sort.descending("createdAt"), teamId)
                .page(Page.ofSize(limit + 1)).list();
    }

    /** Whether any live file (as content or row index) or dataset still points at this content-addressed artifact. */
    public boolean artifactInUse(String artifactId) {
        return count("(artifactId = ?1 or rowIndexArtifactId = ?1) and deletedAt is null", artifactId) > 0
                || getEntityManager().createQuery("select count(d) from Dataset d where d.trainArtifactId = ?1"
                        + " or d.validationArtifactId = ?1", Long.class).setParameter(1, artifactId).getSingleResult() > 0;
    }
}
