package dev.tunewright.trainer.it;

import dev.tunewright.contracts.EventJson;
import dev.tunewright.contracts.job.JobEvent;
import dev.tunewright.testing.Infrastructure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A consumer of a job topic as downstream services read it: it de-duplicates by event id (as
 * {@code ProcessedEvents} does) and keeps every delivery, so a test can tell a redelivery from a second event.
 */
public final class JobEventLog implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final Map<UUID, JobEvent> unique = new LinkedHashMap<>();
    private int deliveries;

    public JobEventLog(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Infrastructure.get().bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumer = new KafkaConsumer<>(props);
        consumer.subscribe(List.of(topic));
    }

    /** Polls until an event of {@code jobId} matches, or fails after {@code timeout}. */
    public JobEvent await(String jobId, Predicate<JobEvent> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            poll(Duration.ofMillis(200));
            for (JobEvent event : unique.values()) {
                if (event.subjectId().equals(jobId) && match.test(event)) {
                    return event;
                }
            }
        }
        throw new AssertionError("no matching event of " + jobId + " within " + timeout + "; saw " + of(jobId));
    }

    public void poll(Duration wait) {
        for (ConsumerRecord<String, String> record : consumer.poll(wait)) {
            JobEvent event = EventJson.read(record.value(), JobEvent.class);
            deliveries++;
            unique.putIfAbsent(event.eventId(), event);
        }
    }

    /** Every distinct event of the job, in order of first delivery. */
    public List<JobEvent> of(String jobId) {
        List<JobEvent> out = new ArrayList<>();
        unique.values().stream().filter(e -> e.subjectId().equals(jobId)).forEach(out::add);
        return out;
    }

    public int deliveries() {
        return deliveries;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
