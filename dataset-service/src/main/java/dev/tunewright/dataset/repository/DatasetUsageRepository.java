package dev.tunewright.dataset.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.List;

@ApplicationScoped
public class DatasetUsageRepository implements PanacheRepositoryBase<DatasetUsage, String> {

    public List<String> activeJobIds(String datasetId) {
        return find("active = true and datasetId = ?1", datasetId).stream().map(u -> u.jobId).sorted().toList();
    }

    public long activeJobsOn(Collection<String> datasetIds) {
        return datasetIds.isEmpty() ? 0 : count("active = true and datasetId in ?1", datasetIds);
    }
}
