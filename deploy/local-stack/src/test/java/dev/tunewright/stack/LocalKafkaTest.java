package dev.tunewright.stack;

import dev.tunewright.contracts.TopicSpec;
import dev.tunewright.contracts.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class LocalKafkaTest {

    @TempDir
    Path state;

    @Test
    void createsContractTopicsRoundTripsRecordsAndKeepsThemAcrossRestarts() throws Exception {
        int port = Ports.free();
        Path dir = state.resolve("kafka");
        Path log = state.resolve("logs/kafka.log");
        String key = UUID.randomUUID().toString();

        try (LocalKafka kafka = new LocalKafka(dir, port, 0, log)) {
            kafka.start();
            assertThat(partitionCounts(kafka.bootstrapServers())).isEqualTo(
                    Topics.ALL.stream().collect(Collectors.toMap(TopicSpec::name, TopicSpec::partitions)));

            try (KafkaProducer<String, String> producer = producer(kafka.bootstrapServers())) {
                producer.send(new ProducerRecord<>(Topics.TEAMS, key, "first")).get();
            }
            assertThat(consumeAll(kafka.bootstrapServers(), Topics.TEAMS)).contains(key + "=first");
        }
        assertThat(log).isNotEmptyFile();

        // A new controller port on restart: the launcher picks a free one each time.
        try (LocalKafka restarted = new LocalKafka(dir, port, 0, log)) {
            restarted.start();
            assertThat(consumeAll(restarted.bootstrapServers(), Topics.TEAMS)).contains(key + "=first");
        }
    }

    private static Map<String, Integer> partitionCounts(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            List<String> names = Topics.ALL.stream().map(TopicSpec::name).toList();
            Map<String, TopicDescription> descriptions = admin.describeTopics(names).allTopicNames().get();
            return descriptions.values().stream()
                    .collect(Collectors.toMap(TopicDescription::name, description -> description.partitions().size()));
        }
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
    }

    private static List<String> consumeAll(String bootstrap, String topic) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            Waits.until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    seen.add(record.key() + "=" + record.value());
                }
                return !seen.isEmpty();
            }, Duration.ofSeconds(30), Duration.ZERO);
        }
        return seen;
    }
}
