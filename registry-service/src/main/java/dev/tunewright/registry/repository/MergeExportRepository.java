package dev.tunewright.registry.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class MergeExportRepository implements PanacheRepositoryBase<MergeExport, String> {

    public Optional<MergeExport> of(String versionId, String dtype) {
        return find("versionId = ?1 and dtype = ?2", versionId, dtype).firstResultOptional();
    }

    public List<MergeExport> of(String versionId) {
        return list("versionId", Sort.ascending("requestedAt", "id"), versionId);
    }
}
