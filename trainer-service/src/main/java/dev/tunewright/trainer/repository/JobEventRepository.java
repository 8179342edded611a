package dev.tunewright.trainer.repository;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;

/**
 * A job's events. Every insert also notifies {@link #CHANNEL} with the job id when its transaction commits, so
 * that live streams in any API instance send it within milliseconds instead of at their next poll.
 */
@ApplicationScoped
public class JobEventRepository implements PanacheRepositoryBase<JobEventRecord, Long> {

    /** The PostgreSQL notification channel of new job events; the payload is the job id. */
    public static final String CHANNEL = "tunewright_job_events";

    /**
     * Appends an event in the caller's transaction; a metrics event of a step that already has one is skipped
     * (a resumed run repeats the steps after its checkpoint with the same numbers). Returns whether it was added.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean append(String jobId, Instant at, String level, String type, String message, String data, Integer step) {
        int inserted = getEntityManager().createNativeQuery("insert into {h-schema}job_event (job_id, created_at, level,"
                        + " type, message, data, step) values (:job, :at, :level, :type, :message, :data, :step)"
                        + " on conflict do nothing")
                .setParameter("job", jobId)
                .setParameter("at", at)
                .setParameter("level", level)
                .setParameter("type", type)
                .setParameter("message", message)
                .setParameter("data", data)
                .setParameter("step", step)
                .executeUpdate();
        if (inserted == 1) {
            getEntityManager().createNativeQuery("select count(*) from (select pg_notify(:channel, :job)) sent")
                    .setParameter("channel", CHANNEL)
                    .setParameter("job", jobId)
                    .getSingleResult();
        }
        return inserted == 1;
    }

    /** Newest first, older than {@code beforeSeq} when given (OpenAI's {@code after} cursor), up to {@code limit + 1}. */
    public List<JobEventRecord> page(String jobId, Long beforeSeq, int limit) {
        return (beforeSeq == null
                ? find("jobId = ?1 order by seq desc", jobId)
                : find("jobId = ?1 and seq < ?2 order by seq desc", jobId, beforeSeq))
                .page(0, limit + 1).list();
    }

    /** Oldest first, newer than {@code afterSeq}: what a live stream sends next. */
    public List<JobEventRecord> since(String jobId, long afterSeq, int limit) {
        return find("jobId = ?1 and seq > ?2 order by seq", jobId, afterSeq).page(0, limit).list();
    }
}
