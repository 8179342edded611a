package dev.tunewright.trainer.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;

/** A job's checkpoints; one per step, however often a step's checkpoint is written. */
@ApplicationScoped
public class JobCheckpointRepository implements PanacheRepositoryBase<JobCheckpoint, String> {

    /** Records the checkpoint unless its step has one already; returns whether it was recorded. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean record(JobCheckpoint checkpoint) {
        return getEntityManager().createNativeQuery("insert into {h-schema}job_checkpoint (id, job_id, step,"
                        + " checkpoint_artifact_id, adapter_artifact_id, metrics, created_at) values (:id, :job, :step,"
                        + " :checkpoint, :adapter, :metrics, :at) on conflict (job_id, step) do nothing")
                .setParameter("id", checkpoint.id)
                .setParameter("job", checkpoint.jobId)
                .setParameter("step", checkpoint.step)
                .setParameter("checkpoint", checkpoint.checkpointArtifactId)
                .setParameter("adapter", checkpoint.adapterArtifactId)
                .setParameter("metrics", checkpoint.metrics)
                .setParameter("at", checkpoint.createdAt)
                .executeUpdate() == 1;
    }

    /** Newest first, before step {@code beforeStep} when given, up to {@code limit + 1}. */
    public List<JobCheckpoint> page(String jobId, Integer beforeStep, int limit) {
        return (beforeStep == null
                ? find("jobId = ?1 order by step desc", jobId)
                : find("jobId = ?1 and step < ?2 order by step desc", jobId, beforeStep))
                .page(0, limit + 1).list();
    }

    public List<JobCheckpoint> newestFirst(String jobId) {
        return find("jobId = ?1 order by step desc", jobId).list();
    }

    public Optional<JobCheckpoint> ofJob(String jobId, String id) {
        return find("id = ?1 and jobId = ?2", id, jobId).firstResultOptional();
    }
}
