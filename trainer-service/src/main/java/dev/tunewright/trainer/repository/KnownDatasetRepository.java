package dev.tunewright.trainer.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** Datasets by id, scoped to their team for requests. */
@ApplicationScoped
public class KnownDatasetRepository implements PanacheRepositoryBase<KnownDataset, String> {

    public Optional<KnownDataset> findOfTeam(String teamId, String id) {
        return find("id = ?1 and teamId = ?2", id, teamId).firstResultOptional();
    }
}
