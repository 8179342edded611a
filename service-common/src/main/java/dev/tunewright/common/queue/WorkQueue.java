package dev.tunewright.common.queue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The PostgreSQL work queue every worker-running service shares (table {@code work_item}, migration
 * {@code db/queue}). State lives in the database, never in a Kafka consumer: an event only wakes workers up. Exactly
 * one live worker holds an item: claims lock with {@code FOR UPDATE SKIP LOCKED}, leases expire unless renewed, and
 * each write after the claim names the lease token, so a worker that lost its lease cannot complete the item.
 *
 * <p>Enqueueing and completing join the caller's transaction, so a job row and its queue entry (and the outbox event
 * announcing either) commit together or not at all. Claims and heartbeats run in transactions of their own.
 */
@ApplicationScoped
public class WorkQueue {

    private final EntityManager entityManager;

    public WorkQueue(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /** Queues an item unless it is queued already (a redelivered trigger queues nothing twice). */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean enqueue(String kind, String id, String teamId, int priority) {
        return entityManager.createNativeQuery("insert into {h-schema}work_item (id, kind, team_id, state, priority)"
                        + " values (:id, :kind, :team, 'queued', :priority) on conflict (id) do nothing")
                .setParameter("id", id)
                .setParameter("kind", kind)
                .setParameter("team", teamId)
                .setParameter("priority", priority)
                .executeUpdate() == 1;
    }

    /**
     * Claims the most urgent claimable item of {@code kind}: queued and due, or leased by a worker whose lease
     * expired. Commits at once, so the claim is visible to every other worker before any work starts.
     */
    public Optional<Lease> claim(String kind, String owner, Duration leaseTime) {
        return claim(kind, owner, leaseTime, 0);
    }

    /**
     * As {@link #claim(String, String, Duration)}, passing over the items of teams that already hold
     * {@code maxLeasedPerTeam} live leases of this kind (a per-team limit on running work; 0: none). Two claims at the
     * same instant may each see the team under its limit, so a team can briefly exceed it by one per racing worker.
     */
    public Optional<Lease> claim(String kind, String owner, Duration leaseTime, int maxLeasedPerTeam) {
        UUID token = UUID.randomUUID();
        String teamLimit = maxLeasedPerTeam <= 0 ? "" : " and team_id not in (select team_id from {h-schema}work_item"
                + " where kind = :kind and state = 'leased' and lease_expires_at > now() group by team_id"
                + " having count(*) >= :teamLimit)";
        return QuarkusTransaction.requiringNew().call(() -> {
            var query = entityManager.createNativeQuery("update {h-schema}work_item w set state = 'leased',"
                            + " lease_owner = :owner, lease_token = :token, lease_expires_at = now() + :lease * interval '1 millisecond',"
                            + " attempts = w.attempts + 1"
                            + " where w.id = (select id from {h-schema}work_item where kind = :kind and " + CLAIMABLE
                            + teamLimit + " order by priority desc, enqueued_at, id limit 1 for update skip locked)"
                            + " returning w.id, w.team_id, w.attempts, w.lease_expires_at")
                    .setParameter("owner", owner)
                    .setParameter("token", token)
                    .setParameter("lease", leaseTime.toMillis())
                    .setParameter("kind", kind);
            if (maxLeasedPerTeam > 0) {
                query.setParameter("teamLimit", maxLeasedPerTeam);
            }
            @SuppressWarnings("unchecked")
            List<Object[]> rows = query.getResultList();
            if (rows.isEmpty()) {
                return Optional.<Lease>empty();
            }
            Object[] row = rows.get(0);
            return Optional.of(new Lease((String) row[0], kind, (String) row[1], token, owner, ((Number) row[2]).intValue(),
                    instant(row[3])));
        });
    }

    /** Renews the lease; false when it is no longer ours (the worker must stop at once). */
    public boolean heartbeat(Lease lease, Duration leaseTime) {
        return QuarkusTransaction.requiringNew().call(() -> entityManager.createNativeQuery(
                        "update {h-schema}work_item set lease_expires_at = now() + :lease * interval '1 millisecond'"
                                + " where id = :id and lease_token = :token and state = 'leased'")
                .setParameter("lease", leaseTime.toMillis())
                .setParameter("id", lease.id())
                .setParameter("token", lease.token())
                .executeUpdate() == 1);
    }

    /**
     * Ends the item in the caller's transaction, together with the domain state change that records its outcome.
     *
     * @throws LeaseLostException when the lease is no longer ours; the caller's transaction then rolls back
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void complete(Lease lease) {
        int deleted = entityManager.createNativeQuery(
                        "delete from {h-schema}work_item where id = :id and lease_token = :token and state = 'leased'")
                .setParameter("id", lease.id())
                .setParameter("token", lease.token())
                .executeUpdate();
        if (deleted != 1) {
            throw new LeaseLostException(lease);
        }
    }

    /**
     * Gives the item back to the queue, due again after {@code delay} (a worker shutting down, a transient failure);
     * the next claim counts as another attempt and resumes. False when the lease was no longer ours.
     */
    public boolean release(Lease lease, Duration delay, String error) {
        return QuarkusTransaction.requiringNew().call(() -> entityManager.createNativeQuery(
                        "update {h-schema}work_item set state = 'queued', lease_owner = null, lease_token = null,"
                                + " lease_expires_at = null, stop_request = null, available_at = now() + :delay * interval '1 millisecond',"
                                + " last_error = :error where id = :id and lease_token = :token and state = 'leased'")
                .setParameter("delay", delay.toMillis())
                .setParameter("error", error)
                .setParameter("id", lease.id())
                .setParameter("token", lease.token())
                .executeUpdate() == 1);
    }

    /**
     * Takes a queued item out of the queue in the caller's transaction (a job cancelled or paused before any worker
     * claimed it). A leased item stays: its worker ends it. Returns whether the item was removed.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean removeQueued(String id) {
        return entityManager.createNativeQuery("delete from {h-schema}work_item where id = :id and state = 'queued'")
                .setParameter("id", id)
                .executeUpdate() == 1;
    }

    /**
     * Asks the worker running a leased item to stop ({@code cancel}, {@code pause}, or any word the service defines),
     * in the caller's transaction; the worker sees it through {@link #stopRequest}. False when the item is not running.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean requestStop(String id, String request) {
        return entityManager.createNativeQuery("update {h-schema}work_item set stop_request = :request"
                        + " where id = :id and state = 'leased'")
                .setParameter("request", request)
                .setParameter("id", id)
                .executeUpdate() == 1;
    }

    /**
     * The stop asked for the item this lease runs, if any; a primary-key read cheap enough to make after every unit
     * of work (an optimizer step), so a stop takes effect within one.
     */
    public Optional<String> stopRequest(Lease lease) {
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object> rows = entityManager.createNativeQuery("select stop_request from {h-schema}work_item"
                            + " where id = :id and lease_token = :token")
                    .setParameter("id", lease.id())
                    .setParameter("token", lease.token())
                    .getResultList();
            return rows.isEmpty() ? Optional.<String>empty() : Optional.ofNullable((String) rows.get(0));
        });
    }

    /** Whether this lease is still the live one (it may still expire before the next heartbeat). */
    public boolean holds(Lease lease) {
        return ((Number) entityManager.createNativeQuery("select count(*) from {h-schema}work_item where id = :id"
                        + " and lease_token = :token and state = 'leased' and lease_expires_at > now()")
                .setParameter("id", lease.id())
                .setParameter("token", lease.token())
                .getSingleResult()).longValue() == 1;
    }

    /** Items of {@code kind} a worker could claim now: what autoscaling scales on (KEDA runs the same predicate). */
    public long depth(String kind) {
        return ((Number) entityManager.createNativeQuery("select count(*) from {h-schema}work_item where kind = :kind and "
                        + CLAIMABLE)
                .setParameter("kind", kind)
                .getSingleResult()).longValue();
    }

    /** Items of {@code kind} being worked on under a live lease. */
    public long running(String kind) {
        return ((Number) entityManager.createNativeQuery("select count(*) from {h-schema}work_item where kind = :kind"
                        + " and state = 'leased' and lease_expires_at > now()")
                .setParameter("kind", kind)
                .getSingleResult()).longValue();
    }

    /**
     * 1-based position of a waiting item among the waiting items of its kind, in claim order; empty when it is not
     * waiting (running, finished or unknown).
     */
    public Optional<Long> position(String kind, String id) {
        @SuppressWarnings("unchecked")
        List<Object> rows = entityManager.createNativeQuery("select pos from (select id, row_number() over"
                        + " (order by priority desc, enqueued_at, id) as pos from {h-schema}work_item where kind = :kind"
                        + " and state = 'queued') q where id = :id")
                .setParameter("kind", kind)
                .setParameter("id", id)
                .getResultList();
        return rows.isEmpty() ? Optional.empty() : Optional.of(((Number) rows.get(0)).longValue());
    }

    /** The claimable predicate, one definition for claims, depth and the KEDA scaler's query. */
    public static final String CLAIMABLE = "((state = 'queued' and available_at <= now())"
            + " or (state = 'leased' and lease_expires_at < now()))";

    private static Instant instant(Object value) {
        if (value instanceof OffsetDateTime time) {
            return time.toInstant();
        }
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant();
        }
        throw new IllegalStateException("unexpected timestamp type " + value.getClass());
    }
}
