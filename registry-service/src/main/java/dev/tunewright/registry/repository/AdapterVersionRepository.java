package dev.tunewright.registry.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class AdapterVersionRepository implements PanacheRepositoryBase<AdapterVersion, String> {

    public Optional<AdapterVersion> byJob(String teamId, String jobId) {
        return find("teamId = ?1 and jobId = ?2", teamId, jobId).firstResultOptional();
    }

    public Optional<AdapterVersion> byNumber(String adapterId, int version) {
        return find("adapterId = ?1 and version = ?2", adapterId, version).firstResultOptional();
    }

    /** Newest first. */
    public List<AdapterVersion> of(String adapterId) {
        return list("adapterId", Sort.descending("version"), adapterId);
    }

    public Optional<AdapterVersion> newest(String adapterId) {
        return find("adapterId", Sort.descending("version"), adapterId).firstResultOptional();
    }

    public Optional<AdapterVersion> byFineTunedModel(String teamId, String fineTunedModel) {
        return find("teamId = ?1 and fineTunedModel = ?2", teamId, fineTunedModel).firstResultOptional();
    }

    /** The team's versions that have an {@code ft:} model id, oldest first: what {@code GET /v1/models} lists. */
    public List<AdapterVersion> withModelIds(String teamId) {
        return list("teamId = ?1 and fineTunedModel is not null", Sort.ascending("createdAt", "id"), teamId);
    }
}
