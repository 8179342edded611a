package dev.tunewright.trainer.repository;

import dev.tunewright.trainer.service.JobStatus;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Jobs, always read through their team except by workers, which hold the job's lease. */
@ApplicationScoped
public class JobRepository implements PanacheRepositoryBase<Job, String> {

    public Optional<Job> findOfTeam(String teamId, String id) {
        return find("id = ?1 and teamId = ?2", id, teamId).firstResultOptional();
    }

    /** The job locked for a status change in the caller's transaction. */
    public Optional<Job> lockOfTeam(String teamId, String id) {
        return find("id = ?1 and teamId = ?2", id, teamId).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    public Optional<Job> lock(String id) {
        return find("id", id).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    /**
     * One page of the team's jobs, newest first, after the job {@code after} (exclusive), whose metadata contains
     * every pair of {@code metadata}; {@code limit + 1} rows so the caller can tell whether there are more.
     */
    @SuppressWarnings("unchecked")
    public List<Job> page(String teamId, Job after, String metadataJson, int limit) {
        StringBuilder sql = new StringBuilder("select * from {h-schema}job where team_id = :team");
        if (after != null) {
            sql.append(" and (created_at, id) < (:afterCreated, :afterId)");
        }
        if (metadataJson != null) {
            sql.append(" and metadata @> cast(:metadata as jsonb)");
        }
        sql.append(" order by created_at desc, id desc limit :limit");
        var query = getEntityManager().createNativeQuery(sql.toString(), Job.class)
                .setParameter("team", teamId)
                .setParameter("limit", limit + 1);
        if (after != null) {
            query.setParameter("afterCreated", after.createdAt).setParameter("afterId", after.id);
        }
        if (metadataJson != null) {
            query.setParameter("metadata", metadataJson);
        }
        return query.getResultList();
    }

    public long countOfTeam(String teamId, Collection<JobStatus> statuses) {
        return count("teamId = ?1 and status in ?2", teamId, statuses);
    }

    /** Jobs that wait for this dataset's splits to be announced, locked for the move to queued. */
    public List<Job> waitingFor(String datasetId) {
        return find("datasetId = ?1 and status = ?2", datasetId, JobStatus.VALIDATING_FILES)
                .withLock(LockModeType.PESSIMISTIC_WRITE).list();
    }

    /**
     * Serialises, until the caller's transaction ends, the transactions that take the same {@code key} (a team's
     * limit check and insert; a dataset's arrival and the jobs that wait for it), so neither can miss the other.
     */
    public void lockKey(String key) {
        getEntityManager().createNativeQuery(
                "select count(*) from (select pg_advisory_xact_lock(hashtext(:key))) locked").setParameter("key", key)
                .getSingleResult();
    }

    /** How many jobs are in each status, over all teams (metrics). */
    public Map<JobStatus, Long> countByStatus() {
        Map<JobStatus, Long> counts = new EnumMap<>(JobStatus.class);
        for (JobStatus status : JobStatus.values()) {
            counts.put(status, 0L);
        }
        List<Object[]> rows = getEntityManager().createQuery("select j.status, count(j) from Job j group by j.status",
                Object[].class).getResultList();
        rows.forEach(row -> counts.put((JobStatus) row[0], ((Number) row[1]).longValue()));
        return counts;
    }
}
