package dev.tunewright.eval.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** Fine-tuned models by team: another team's id is simply not there. */
@ApplicationScoped
public class FineTunedModelRepository implements PanacheRepositoryBase<FineTunedModel, String> {

    public Optional<FineTunedModel> byId(String teamId, String id) {
        return find("id = ?1 and teamId = ?2", id, teamId).firstResultOptional();
    }

    public Optional<FineTunedModel> byJob(String teamId, String jobId) {
        return find("teamId = ?1 and jobId = ?2 order by createdAt desc", teamId, jobId).firstResultOptional();
    }

    public Optional<FineTunedModel> byAdapter(String teamId, String adapterArtifactId) {
        return find("teamId = ?1 and adapterArtifactId = ?2 order by createdAt desc", teamId, adapterArtifactId)
                .firstResultOptional();
    }
}
