package dev.tunewright.common.outbox;

import dev.tunewright.contracts.Event;
import dev.tunewright.contracts.EventJson;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

/**
 * Records an event to publish in the caller's transaction. Kafka sees it only after that transaction commits and
 * never if it rolls back, which a direct send from business code cannot promise.
 */
@ApplicationScoped
public class Outbox {

    private final EntityManager entityManager;
    private final TransactionSynchronizationRegistry transactions;
    private final OutboxRelay relay;

    public Outbox(EntityManager entityManager, TransactionSynchronizationRegistry transactions, OutboxRelay relay) {
        this.entityManager = entityManager;
        this.transactions = transactions;
        this.relay = relay;
    }

    /**
     * Must run inside the caller's transaction ({@code MANDATORY} fails fast otherwise). The record key is the
     * event's subject id, so all events about one subject stay ordered on one partition.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void enqueue(String topic, Event event) {
        entityManager.persist(new OutboxMessage(topic, event.subjectId(), EventJson.write(event)));
        // Publish as soon as the transaction commits instead of waiting for the next sweep.
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    relay.requestRelay();
                }
            }
        });
    }
}
