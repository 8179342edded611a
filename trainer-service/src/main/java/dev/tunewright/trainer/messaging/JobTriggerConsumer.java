package dev.tunewright.trainer.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunewright.trainer.worker.TrainingWorker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * {@code job.created} wakes this instance's idle workers and is acknowledged at once: the job row and its queue
 * entry are the truth, so the trigger carries no work and holding it would only risk the consumer's group. A
 * redelivered or duplicated trigger wakes a worker that finds nothing new to claim.
 */
@ApplicationScoped
public class JobTriggerConsumer {

    private final TrainingWorker worker;
    private final ObjectMapper json;
    private final Counter triggers;

    public JobTriggerConsumer(TrainingWorker worker, ObjectMapper json, MeterRegistry registry) {
        this.worker = worker;
        this.json = json;
        this.triggers = Counter.builder("tunewright.trainer.triggers").description("job.created triggers received")
                .register(registry);
    }

    @Incoming(TrainerChannels.JOB_TRIGGERS)
    public void consume(String payload) {
        JsonNode event;
        try {
            event = json.readTree(payload);
        } catch (java.io.IOException e) {
            return;
        }
        if ("job.created".equals(event.path("type").asText())) {
            triggers.increment();
            worker.wake();
        }
    }

    /** Counts the trigger consumer's partition assignments: one at start, more only when its group rebalances. */
    @ApplicationScoped
    @Identifier("job-trigger-rebalances")
    public static class Rebalances implements KafkaConsumerRebalanceListener {

        private final Counter assignments;

        public Rebalances(MeterRegistry registry) {
            this.assignments = Counter.builder("tunewright.trainer.trigger.assignments")
                    .description("Partition assignments of the job trigger consumer (1 + rebalances)").register(registry);
        }

        @Override
        public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
            assignments.increment();
        }
    }
}
