package dev.tunewright.common.outbox;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Publishes committed outbox rows to Kafka in id order and marks them published.
 *
 * <p>Runs right after each committing transaction that enqueued events, plus a periodic sweep for rows left behind by
 * a crash, a Kafka outage or another instance. All runs go through one thread, and rows are locked with
 * {@code FOR UPDATE SKIP LOCKED}, so two relays never publish the same row at the same time. Delivery is at least
 * once: a crash between the send and the commit publishes a row again, which is why consumers de-duplicate with
 * {@link dev.tunewright.common.messaging.ProcessedEvents}.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final EntityManager entityManager;
    private final OutboxConfig config;
    private final String bootstrapServers;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "tunewright-outbox-relay");
        thread.setDaemon(true);
        return thread;
    });
    /** Coalesces requests: at most one relay run waits behind the running one. */
    private final AtomicBoolean queued = new AtomicBoolean();
    private volatile Producer<String, String> producer;
    private volatile boolean failing;
    private volatile boolean stopped;

    public OutboxRelay(EntityManager entityManager, OutboxConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.entityManager = entityManager;
        this.config = config;
        this.bootstrapServers = bootstrapServers;
    }

    @Scheduled(every = "${tunewright.outbox.sweep-interval:1s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, identity = "tunewright-outbox-sweep")
    void sweep() {
        requestRelay();
    }

    /** Asks for a relay run soon; cheap and non-blocking, safe to call from a transaction's completion. */
    public void requestRelay() {
        if (!stopped && queued.compareAndSet(false, true)) {
            try {
                worker.execute(() -> {
                    queued.set(false);
                    relayAll();
                });
            } catch (RuntimeException rejected) {
                queued.set(false);
            }
        }
    }

    /** Publishes until no unpublished row is left or a send fails; returns the number published. */
    int relayAll() {
        int total = 0;
        try {
            while (!stopped) {
                BatchResult result = QuarkusTransaction.requiringNew().call(this::publishBatch);
                total += result.published();
                if (result.failure() != null) {
                    reportFailure(result.failure());
                    return total;
                }
                if (result.selected() < config.batchSize()) {
                    break;
                }
            }
            if (failing) {
                LOG.info("outbox relay recovered");
                failing = false;
            }
        } catch (RuntimeException e) {
            reportFailure(e);
        }
        return total;
    }

    /** Logs the first failure of a streak at WARN and the repeats at DEBUG, so an outage does not flood the log. */
    private void reportFailure(RuntimeException e) {
        if (!failing) {
            LOG.warn("outbox relay failed, retrying on the next sweep", e);
            failing = true;
        } else {
            LOG.debug("outbox relay still failing", e);
        }
    }

    /**
     * One transaction: lock a batch, send it, wait for every acknowledgement and mark the acknowledged prefix
     * published. A failed send does not throw, so that the prefix still commits; the rows after it stay unpublished
     * and are retried, in order, by the next run.
     */
    BatchResult publishBatch() {
        @SuppressWarnings("unchecked")
        List<OutboxMessage> batch = entityManager.createNativeQuery(
                        "select * from {h-schema}outbox where published_at is null order by id"
                                + " limit :limit for update skip locked", OutboxMessage.class)
                .setParameter("limit", config.batchSize())
                .getResultList();
        if (batch.isEmpty()) {
            return new BatchResult(0, 0, null);
        }
        List<Future<RecordMetadata>> acks = new ArrayList<>(batch.size());
        try {
            Producer<String, String> kafka = producer();
            for (OutboxMessage message : batch) {
                acks.add(kafka.send(new ProducerRecord<>(message.topic, message.recordKey, message.payload)));
            }
        } catch (RuntimeException e) {
            // send() itself fails when metadata cannot be fetched in time; what was sent before still counts.
            LOG.debug("outbox send failed", e);
        }
        OffsetDateTime now = OffsetDateTime.now();
        int published = 0;
        for (int i = 0; i < batch.size(); i++) {
            OutboxMessage message = batch.get(i);
            try {
                if (i >= acks.size()) {
                    throw new IllegalStateException("not sent");
                }
                acks.get(i).get(config.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                return new BatchResult(batch.size(), published, new IllegalStateException(
                        "cannot publish outbox row " + message.id + " to " + message.topic + " via "
                                + bootstrapServers + "; published " + published + " of " + batch.size(), e));
            }
            message.publishedAt = now;
            published++;
        }
        return new BatchResult(batch.size(), published, null);
    }

    record BatchResult(int selected, int published, RuntimeException failure) {
    }

    private Producer<String, String> producer() {
        Producer<String, String> current = producer;
        if (current == null) {
            synchronized (this) {
                if (producer == null) {
                    producer = new KafkaProducer<>(producerProperties(bootstrapServers, config));
                }
                current = producer;
            }
        }
        return current;
    }

    static Properties producerProperties(String bootstrapServers, OutboxConfig config) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "tunewright-outbox-relay");
        long timeout = Math.max(config.sendTimeout().toMillis(), 1000);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(timeout));
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(timeout));
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(timeout + 1000));
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        return props;
    }

    @PreDestroy
    void stop() {
        stopped = true;
        worker.shutdown();
        try {
            worker.awaitTermination(config.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Producer<String, String> current = producer;
        if (current != null) {
            current.close(java.time.Duration.ofSeconds(5));
        }
    }
}
