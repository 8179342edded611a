package dev.tunewright.dataset.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class DatasetRepository implements PanacheRepositoryBase<Dataset, String> {

    public Optional<Dataset> findOfTeam(String teamId, String id) {
        return find("id = ?1 and teamId = ?2", id, teamId).firstResultOptional();
    }

    public List<Dataset> pageOfTeam(String teamId, int limit) {
        return find("teamId", Sort.descending("createdAt"), teamId).page(Page.ofSize(limit + 1)).list();
    }

    public List<Dataset> ofFile(String fileId) {
        return list("fileId = ?1 or validationFileId = ?1", fileId);
    }
}
