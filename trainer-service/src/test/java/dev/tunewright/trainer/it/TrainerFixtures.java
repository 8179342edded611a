package dev.tunewright.trainer.it;

import dev.tunewright.common.artifact.ArtifactStore;
import dev.tunewright.common.artifact.LocalArtifactStore;
import dev.tunewright.contracts.EventJson;
import dev.tunewright.contracts.Topics;
import dev.tunewright.contracts.dataset.DatasetIngested;
import dev.tunewright.engine.model.TinyModels;
import dev.tunewright.engine.train.TrainingTask;
import dev.tunewright.testing.Infrastructure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the trainer tests train on, written once per test JVM: the engine's tiny Qwen2 training task as an installed
 * model folder ({@code models/tiny}), and datasets announced the way the dataset service announces them: split
 * artifacts in the shared artifact store and a {@code dataset.ingested} event on Kafka.
 */
public final class TrainerFixtures {

    public static final String MODEL = "tiny";
    private static final String MONITOR = "dev.tunewright.trainer.it.TrainerFixtures";
    private static final String ROOT = "tunewright.testing.trainer.root";

    private final Path root;

    private TrainerFixtures(Path root) {
        this.root = root;
    }

    public static TrainerFixtures get() {
        synchronized (MONITOR) {
            if (System.getProperty(ROOT) == null) {
                try {
                    Path root = Files.createTempDirectory("tunewright-trainer-test-");
                    TrainingTask.writeTokenizer(TinyModels.qwen2(root.resolve("models").resolve(MODEL)));
                    System.setProperty(ROOT, root.toString());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return new TrainerFixtures(Path.of(System.getProperty(ROOT)));
        }
    }

    public Path root() {
        return root;
    }

    public Path modelsDir() {
        return root.resolve("models");
    }

    public Path modelFolder() {
        return modelsDir().resolve(MODEL);
    }

    /** The shared artifact store the packaged trainer reads too. */
    public static ArtifactStore artifacts() {
        try {
            return new LocalArtifactStore(Infrastructure.get().artifactsDir());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A dataset of the task's rows for {@code teamId}, stored and announced; returns its id. */
    public static String announceDataset(String teamId, int trainRows, int validationRows, long seed) {
        return announceDataset("trainer", teamId, trainRows, validationRows, seed);
    }

    /** As {@link #announceDataset(String, int, int, long)} to trainers whose tables are in {@code schema}. */
    public static String announceDataset(String schema, String teamId, int trainRows, int validationRows, long seed) {
        try {
            ArtifactStore store = artifacts();
            byte[] train = TrainingTask.chatJsonl(TrainingTask.rows(trainRows, seed)).getBytes(StandardCharsets.UTF_8);
            byte[] validation = TrainingTask.chatJsonl(TrainingTask.rows(validationRows, seed + 1)).getBytes(StandardCharsets.UTF_8);
            String trainId = store.put(out -> out.write(train)).id();
            String validationId = store.put(out -> out.write(validation)).id();
            String datasetId = "ds-" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
            publish(Topics.DATASETS, datasetId, EventJson.write(DatasetIngested.of(teamId, datasetId, "file-" + datasetId.substring(3),
                    "chat", trainRows, validationRows, trainId, validationId)));
            awaitKnown(schema, datasetId);
            return datasetId;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until the running trainer recorded the announcement: a job naming a dataset the trainer has not seen yet
     * asks the dataset service, which these tests do not run.
     */
    private static void awaitKnown(String schema, String datasetId) {
        Infrastructure infrastructure = Infrastructure.get();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        try (java.sql.Connection db = java.sql.DriverManager.getConnection(infrastructure.jdbcUrl(),
                infrastructure.username(), infrastructure.password());
                java.sql.PreparedStatement known = db.prepareStatement("select count(*) from " + schema + ".known_dataset where id = ?")) {
            known.setString(1, datasetId);
            while (System.nanoTime() < deadline) {
                try (java.sql.ResultSet rows = known.executeQuery()) {
                    rows.next();
                    if (rows.getInt(1) == 1) {
                        return;
                    }
                }
                Thread.sleep(50);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot look for dataset " + datasetId + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new AssertionError("the trainer did not record dataset " + datasetId + " within 60 s");
    }

    public static void publish(String topic, String key, String payload) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Infrastructure.get().bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>(topic, key, payload)).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish to " + topic + ": " + e.getMessage(), e);
        }
    }
}
