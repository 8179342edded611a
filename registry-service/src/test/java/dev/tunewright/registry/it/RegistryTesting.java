package dev.tunewright.registry.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunewright.common.artifact.ArtifactFolder;
import dev.tunewright.common.artifact.LocalArtifactStore;
import dev.tunewright.common.identity.TeamIdentity;
import dev.tunewright.contracts.Event;
import dev.tunewright.contracts.EventJson;
import dev.tunewright.contracts.Topics;
import dev.tunewright.contracts.adapter.AdapterEvent;
import dev.tunewright.contracts.evaluation.EvaluationCompleted;
import dev.tunewright.contracts.evaluation.EvaluationEvent;
import dev.tunewright.contracts.job.JobEvent;
import dev.tunewright.contracts.job.JobLineage;
import dev.tunewright.contracts.job.JobSucceeded;
import dev.tunewright.contracts.team.TeamEvent;
import dev.tunewright.engine.lora.LoraAdapters;
import dev.tunewright.engine.lora.LoraConfig;
import dev.tunewright.engine.lora.LoraTestSupport;
import dev.tunewright.engine.model.LanguageModel;
import dev.tunewright.engine.model.TinyModels;
import dev.tunewright.testing.Infrastructure;
import dev.tunewright.testing.TeamRequests;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the registry's flow tests share: teams calling the service as the gateway would, events published as the
 * trainer and evaluator publish them, and real PEFT adapters of a tiny random Llama stored in the shared artifact
 * store, built with the engine's own test helpers.
 */
final class RegistryTesting {

    static final String BASE = "tiny-llama";
    static final List<int[]> SEQUENCES = List.of(TinyModels.randomTokens(new Random(11), 16),
            TinyModels.randomTokens(new Random(12), 9));
    private RegistryTesting() {
    }

    /** Where the service finds installed models: next to the shared artifact store. */
    static Path modelsDir() {
        return Infrastructure.get().artifactsDir().resolveSibling("models");
    }

    /** The installed tiny base, written once per JVM. */
    static synchronized Path base() {
        Path dir = modelsDir().resolve(BASE);
        if (!Files.isRegularFile(dir.resolve("config.json"))) {
            try {
                TinyModels.llama(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dir;
    }

    static TeamIdentity newTeam(String name) {
        return TeamRequests.newTeam(name);
    }

    /**
     * A request of {@code team}, signed for its method, path and query when it is sent, as the gateway forwards it;
     * sent as written, so {@code name@alias} arrives with the {@code @} that was signed.
     */
    static RequestSpecification as(TeamIdentity team) {
        return TeamRequests.as(team).urlEncodingEnabled(false);
    }

    static String sign(TeamIdentity team, String method, String target) {
        return TeamRequests.sign(team, method, target);
    }

    /** An adapter written by the engine and its log-probs on {@link #SEQUENCES} while attached. */
    record TrainedAdapter(Path dir, String artifactId, List<double[]> logProbs) {
    }

    /**
     * A LoRA adapter on the tiny base with a non-zero B (as training leaves it), saved in PEFT's layout and stored
     * as a folder artifact.
     */
    static TrainedAdapter adapter(Path work, int r, List<String> targets, long seed) throws IOException {
        Path dir = work.resolve("adapter-" + UUID.randomUUID());
        List<double[]> logProbs;
        try (LanguageModel model = TinyModels.load(base());
             LoraAdapters lora = LoraAdapters.attach(model, new LoraConfig(r, 2.0 * r, 0, targets, false), seed)) {
            LoraTestSupport.randomizeB(lora, seed);
            logProbs = model.logProbs(SEQUENCES);
            lora.save(dir, BASE, null);
        }
        return new TrainedAdapter(dir, store(dir), logProbs);
    }

    static String store(Path folder) throws IOException {
        return ArtifactFolder.put(new LocalArtifactStore(Infrastructure.get().artifactsDir()), folder).id();
    }

    static JobLineage lineage(String datasetId, String datasetSha256, String baseWeightsSha256, long seed) {
        return new JobLineage(BASE, null, baseWeightsSha256, "b".repeat(64), datasetId, datasetSha256,
                "sha256-" + "1".repeat(64), "sha256-" + "2".repeat(64),
                Map.of("n_epochs", 3, "learning_rate_multiplier", 1.0, "lora", Map.of("r", 4, "alpha", 8)), seed,
                "0.1.0-test");
    }

    static JobSucceeded succeeded(TeamIdentity team, String jobId, String suffix, String artifactId, JobLineage lineage) {
        return JobSucceeded.of(team.teamId(), jobId, artifactId, BASE, 12_345, 1.25, 1.5,
                "ft:" + BASE + ":" + team.teamName() + ":" + suffix + ":" + jobId, suffix, lineage, null, Map.of());
    }

    static EvaluationCompleted evaluation(TeamIdentity team, String jobId, Long checkpointStep, String verdict,
            double accuracy) {
        return EvaluationCompleted.of(team.teamId(), "eval-" + UUID.randomUUID(), jobId, checkpointStep, null, BASE,
                new EvaluationCompleted.Outcome("classification", "accuracy", Map.of("accuracy", 0.4),
                        Map.of("accuracy", accuracy), verdict, accuracy - 0.4, accuracy - 0.45, accuracy - 0.35, null,
                        Map.of(), null));
    }

    /** Publishes events to their topics, keyed by subject, as the outbox relays publish them. */
    static void publish(Event... events) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Infrastructure.get().bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (Event event : events) {
                producer.send(new ProducerRecord<>(topic(event), event.subjectId(), EventJson.write(event))).get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish: " + e, e);
        }
    }

    private static String topic(Event event) {
        if (event instanceof JobEvent) {
            return Topics.JOBS;
        }
        if (event instanceof EvaluationEvent) {
            return Topics.EVALUATIONS;
        }
        if (event instanceof TeamEvent) {
            return Topics.TEAMS;
        }
        throw new IllegalArgumentException("no topic for " + event.getClass());
    }

    /** Polls until {@code done} holds, failing after 60 s; no fixed sleeps. */
    static void await(String what, BooleanSupplier done) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!done.getAsBoolean()) {
            assertThat(Instant.now()).as(what + " within 60 s").isBefore(deadline);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Every event on the adapter topic, read from the start by a consumer group of its own. */
    static final class AdapterEvents implements AutoCloseable {

        private final KafkaConsumer<String, String> consumer;
        private final List<AdapterEvent> seen = new ArrayList<>();

        AdapterEvents() {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Infrastructure.get().bootstrapServers());
            props.put(ConsumerConfig.GROUP_ID_CONFIG, "registry-test-" + UUID.randomUUID());
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
            props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
            consumer = new KafkaConsumer<>(props);
            consumer.subscribe(List.of(Topics.ADAPTERS));
        }

        /** The events matching {@code wanted} in the order they arrived, once at least {@code count} have. */
        List<AdapterEvent> await(Predicate<AdapterEvent> wanted, int count) {
            RegistryTesting.await(count + " adapter event(s)", () -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    seen.add(EventJson.read(record.value(), AdapterEvent.class));
                }
                return seen.stream().filter(wanted).count() >= count;
            });
            return seen.stream().filter(wanted).toList();
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
