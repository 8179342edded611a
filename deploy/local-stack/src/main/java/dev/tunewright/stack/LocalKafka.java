package dev.tunewright.stack;

import dev.tunewright.contracts.TopicSpec;
import dev.tunewright.contracts.Topics;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A single-node Kafka (broker and controller in one, KRaft) running inside this JVM, so the platform
 * exercises the real protocol, partitioning and consumer groups without a separate installation.
 */
public final class LocalKafka implements AutoCloseable {

    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final Path logFile;
    private KafkaRaftServer server;

    /**
     * @param dir            folder holding the cluster id and the log segments; reusing it keeps topics and offsets
     * @param controllerPort 0 picks a free port: clients never talk to the controller, so its port needs no stability
     */
    public LocalKafka(Path dir, int port, int controllerPort, Path logFile) {
        this.dir = dir.toAbsolutePath();
        this.port = port;
        this.controllerPort = controllerPort == 0 ? Ports.free() : controllerPort;
        this.logFile = logFile.toAbsolutePath();
    }

    public synchronized void start() {
        if (server != null) {
            return;
        }
        LogRedirect.kafkaTo(logFile);
        Path dataDir = dir.resolve("data");
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new StackException("cannot create the Kafka folder " + dataDir + ": " + e.getMessage(), e);
        }
        KafkaConfig config = new KafkaConfig(brokerProperties(dataDir), false);
        format(dataDir);
        KafkaRaftServer started = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            started.startup();
            server = started;
            createTopics();
        } catch (RuntimeException e) {
            server = started;
            stop();
            if (e instanceof StackException) {
                throw e;
            }
            throw new StackException("Kafka failed to start on port " + port + ": " + e.getMessage()
                    + " (details in " + logFile + ")", e);
        }
    }

    public synchronized void stop() {
        if (server == null) {
            return;
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    private Map<String, String> brokerProperties(Path dataDir) {
        Map<String, String> props = new HashMap<>();
        props.put("node.id", String.valueOf(NODE_ID));
        props.put("process.roles", "broker,controller");
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + "," + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        props.put("log.dirs", dataDir.toString());
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "5");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("min.insync.replicas", "1");
        props.put("default.replication.factor", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        // One developer machine, not a cluster: small files and few threads keep the footprint low.
        props.put("log.segment.bytes", String.valueOf(8 * 1024 * 1024));
        props.put("metadata.log.segment.bytes", String.valueOf(8 * 1024 * 1024));
        props.put("log.index.size.max.bytes", String.valueOf(1024 * 1024));
        props.put("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024));
        props.put("log.cleaner.threads", "1");
        props.put("num.network.threads", "2");
        props.put("num.io.threads", "2");
        props.put("background.threads", "2");
        props.put("num.recovery.threads.per.data.dir", "1");
        props.put("num.replica.fetchers", "1");
        return props;
    }

    /** Formats once; later starts find the folder formatted and keep its data. */
    private void format(Path dataDir) {
        try (PrintStream out = new PrintStream(appendTo(logFile), true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(out)
                    .setNodeId(NODE_ID)
                    .setClusterId(clusterId())
                    .setIgnoreFormatted(true)
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(dataDir.toString())
                    .addDirectory(dataDir.toString())
                    .run();
        } catch (Exception e) {
            throw new StackException("cannot format the Kafka folder " + dataDir + ": " + e.getMessage(), e);
        }
    }

    private String clusterId() throws IOException {
        Path file = dir.resolve("cluster-id");
        if (Files.exists(file)) {
            return Files.readString(file).trim();
        }
        String id = Uuid.randomUuid().toString();
        AtomicFiles.write(file, id + "\n");
        return id;
    }

    private void createTopics() {
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TOPIC_TIMEOUT.toMillis());
        try (Admin admin = Admin.create(config)) {
            List<NewTopic> topics = Topics.ALL.stream()
                    .map(spec -> new NewTopic(spec.name(), spec.partitions(), (short) 1))
                    .toList();
            admin.createTopics(topics).values().forEach((name, result) -> {
                try {
                    result.get(TOPIC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new StackException("cannot create Kafka topic " + name + ": " + e.getCause().getMessage(), e);
                    }
                } catch (InterruptedException | TimeoutException e) {
                    throw interruptedOrTimedOut("creating Kafka topic " + name, e);
                }
            });
            growAndAwaitLeaders(admin);
        }
    }

    /**
     * A topic kept from an older stack may have fewer partitions than the contract now asks for; every partition
     * also needs a leader before the first producer call, or services start with a burst of retriable errors.
     */
    private void growAndAwaitLeaders(Admin admin) {
        List<String> names = Topics.ALL.stream().map(TopicSpec::name).toList();
        long deadline = System.nanoTime() + TOPIC_TIMEOUT.toNanos();
        while (true) {
            Map<String, TopicDescription> descriptions;
            try {
                descriptions = admin.describeTopics(names).allTopicNames().get(TOPIC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                Map<String, NewPartitions> grow = new HashMap<>();
                for (TopicSpec spec : Topics.ALL) {
                    if (descriptions.get(spec.name()).partitions().size() < spec.partitions()) {
                        grow.put(spec.name(), NewPartitions.increaseTo(spec.partitions()));
                    }
                }
                if (!grow.isEmpty()) {
                    admin.createPartitions(grow).all().get(TOPIC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    continue;
                }
            } catch (ExecutionException e) {
                throw new StackException("cannot describe the Kafka topics: " + e.getCause().getMessage(), e);
            } catch (InterruptedException | TimeoutException e) {
                throw interruptedOrTimedOut("describing the Kafka topics", e);
            }
            boolean ready = descriptions.values().stream()
                    .flatMap(description -> description.partitions().stream())
                    .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty());
            if (ready) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new StackException("Kafka topics still have no leader after " + TOPIC_TIMEOUT.toSeconds() + " s");
            }
            Waits.pause(Duration.ofMillis(50));
        }
    }

    private static StackException interruptedOrTimedOut(String what, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new StackException("interrupted while " + what, e);
        }
        return new StackException("timed out " + what, e);
    }

    private static OutputStream appendTo(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
