package dev.tunewright.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tunewright.common.messaging.ProcessedEvents;
import dev.tunewright.common.outbox.Outbox;
import dev.tunewright.contracts.Topics;
import dev.tunewright.contracts.team.TeamCreated;
import dev.tunewright.testing.InfrastructureResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionalException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * service-common's outbox and idempotent-consumer support on the real stack; hosted here because the gateway is
 * the first Quarkus application that uses them.
 */
@QuarkusTest
@QuarkusTestResource(InfrastructureResource.class)
@QuarkusTestResource(TestBackend.class)
class OutboxIT {

    @Inject
    Outbox outbox;

    @Inject
    ProcessedEvents processedEvents;

    /**
     * A rolled-back event is enqueued first and a committed one after it; the relay publishes in id order, so once
     * the committed one is on the topic the rolled-back one would be there too if rollback did not discard it.
     */
    @Test
    void publishesCommittedEventsOnlyAndInOrder() {
        TeamCreated rolledBack = TeamCreated.of("rolled-back-" + UUID.randomUUID(), "ghost");
        TeamCreated first = TeamCreated.of("first-" + UUID.randomUUID(), "first");
        TeamCreated second = TeamCreated.of("second-" + UUID.randomUUID(), "second");

        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
            outbox.enqueue(Topics.TEAMS, rolledBack);
            throw new IllegalStateException("business failure after enqueue");
        })).hasMessageContaining("business failure");
        QuarkusTransaction.requiringNew().run(() -> {
            outbox.enqueue(Topics.TEAMS, first);
            outbox.enqueue(Topics.TEAMS, second);
        });

        List<ConsumerRecord<String, String>> records = GatewayFixtures.readUntil(Topics.TEAMS,
                r -> second.teamId().equals(r.key()), Duration.ofSeconds(30));
        List<String> keys = records.stream().map(ConsumerRecord::key).toList();
        assertThat(keys).doesNotContain(rolledBack.teamId());
        assertThat(keys.indexOf(first.teamId())).isGreaterThanOrEqualTo(0).isLessThan(keys.indexOf(second.teamId()));
        assertThat(records.get(records.size() - 1).value()).contains("\"eventId\":\"" + second.eventId() + "\"");
    }

    @Test
    void enqueueOutsideATransactionFails() {
        assertThatThrownBy(() -> outbox.enqueue(Topics.TEAMS, TeamCreated.of("t", "n")))
                .isInstanceOf(TransactionalException.class);
    }

    @Test
    void recordsProcessedEventsPerConsumerWithTheTransaction() {
        UUID event = UUID.randomUUID();

        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
            assertThat(processedEvents.firstTime(event, "rolled-back-consumer")).isTrue();
            throw new IllegalStateException("handling failed");
        })).hasMessageContaining("handling failed");
        assertThat(QuarkusTransaction.requiringNew().call(() -> processedEvents.firstTime(event, "consumer-a")))
                .isTrue();
        assertThat(QuarkusTransaction.requiringNew().call(() -> processedEvents.firstTime(event, "consumer-a")))
                .isFalse();
        assertThat(QuarkusTransaction.requiringNew().call(() -> processedEvents.firstTime(event, "consumer-b")))
                .isTrue();
        assertThat(QuarkusTransaction.requiringNew().call(
                () -> processedEvents.firstTime(event, "rolled-back-consumer"))).isTrue();
    }
}
