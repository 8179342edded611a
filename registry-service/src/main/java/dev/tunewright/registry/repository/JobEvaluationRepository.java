package dev.tunewright.registry.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@ApplicationScoped
public class JobEvaluationRepository implements PanacheRepositoryBase<JobEvaluation, String> {

    /**
     * The evaluation that speaks for a job: its newest completed one, else its newest failed one. A failure cannot
     * hide a completed evaluation, so the answer does not depend on the order the events arrived in.
     */
    public Optional<JobEvaluation> verdictOf(String teamId, String jobId) {
        return Optional.ofNullable(verdictsOf(teamId, List.of(jobId)).get(jobId));
    }

    /** {@link #verdictOf} for many jobs at once, by job id; jobs without any evaluation are absent. */
    public Map<String, JobEvaluation> verdictsOf(String teamId, Collection<String> jobIds) {
        Map<String, JobEvaluation> out = new HashMap<>();
        if (jobIds.isEmpty()) {
            return out;
        }
        List<JobEvaluation> all = list("teamId = ?1 and jobId in ?2"
                + " order by case when status = 'completed' then 0 else 1 end, occurredAt desc, evaluationId desc",
                teamId, jobIds);
        all.forEach(e -> out.putIfAbsent(e.jobId, e));
        return out;
    }
}
