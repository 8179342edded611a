package dev.tunewright.common.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.UUID;

/**
 * Makes Kafka consumers idempotent: Kafka and the outbox deliver at least once, so a consumer handles an event only
 * if recording its id succeeds in the same transaction as the handling. A redelivery, or a second consumer racing on
 * the same event, then finds the id and skips, and a rolled-back handling leaves no trace.
 */
@ApplicationScoped
public class ProcessedEvents {

    private final EntityManager entityManager;

    public ProcessedEvents(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /**
     * True if {@code consumer} has not processed {@code eventId} before; the id is then recorded as processed when
     * the caller's transaction commits. Must run inside that transaction.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean firstTime(UUID eventId, String consumer) {
        int inserted = entityManager.createNativeQuery(
                        "insert into {h-schema}processed_event (event_id, consumer) values (:eventId, :consumer)"
                                + " on conflict do nothing")
                .setParameter("eventId", eventId)
                .setParameter("consumer", consumer)
                .executeUpdate();
        return inserted == 1;
    }
}
