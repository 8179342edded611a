package dev.tunewright.dataset.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;

@ApplicationScoped
public class DatasetUsageRepository implements PanacheRepositoryBase<DatasetUsage, String> {

    public long activeJobsOn(Collection<String> datasetIds) {
        return datasetIds.isEmpty() ? 0 : count("active = true and datasetId in ?1", datasetIds);
    }
}
