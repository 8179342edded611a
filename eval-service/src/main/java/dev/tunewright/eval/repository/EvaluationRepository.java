package dev.tunewright.eval.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/** Evaluations by team, newest first. */
@ApplicationScoped
public class EvaluationRepository implements PanacheRepositoryBase<Evaluation, String> {

    public Optional<Evaluation> byId(String teamId, String id) {
        return find("id = ?1 and teamId = ?2", id, teamId).firstResultOptional();
    }

    /** Up to {@code limit} evaluations older than {@code after} (an id of the team's; null: from the newest). */
    public List<Evaluation> page(String teamId, Evaluation after, int limit) {
        if (after == null) {
            return find("teamId = ?1 order by createdAt desc, id desc", teamId).page(Page.ofSize(limit)).list();
        }
        return find("teamId = ?1 and (createdAt < ?2 or (createdAt = ?2 and id < ?3)) order by createdAt desc, id desc",
                teamId, after.createdAt, after.id).page(Page.ofSize(limit)).list();
    }

    public boolean existsForJob(String teamId, String jobId, Long checkpointStep) {
        return checkpointStep == null
                ? count("teamId = ?1 and jobId = ?2 and checkpointStep is null and origin = ?3", teamId, jobId,
                        Evaluation.ORIGIN_JOB) > 0
                : count("teamId = ?1 and jobId = ?2 and checkpointStep = ?3 and origin = ?4", teamId, jobId,
                        checkpointStep, Evaluation.ORIGIN_CHECKPOINT) > 0;
    }
}
