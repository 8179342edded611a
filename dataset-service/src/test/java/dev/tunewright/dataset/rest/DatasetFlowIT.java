package dev.tunewright.dataset.rest;

import static dev.tunewright.dataset.rest.TestTeams.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.tunewright.common.identity.TeamIdentity;
import dev.tunewright.contracts.EventJson;
import dev.tunewright.contracts.Topics;
import dev.tunewright.contracts.dataset.DatasetEvent;
import dev.tunewright.contracts.dataset.DatasetIngested;
import dev.tunewright.contracts.dataset.DatasetRejected;
import dev.tunewright.contracts.job.JobCreated;
import dev.tunewright.contracts.job.JobSucceeded;
import dev.tunewright.testing.Infrastructure;
import dev.tunewright.testing.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The dataset flow on the real stack: HTTP in, PostgreSQL rows, artifact files and Kafka events out. */
@QuarkusTest
@QuarkusTestResource(InfrastructureResource.class)
class DatasetFlowIT {

    static String classificationFile(int rows) {
        StringBuilder content = new StringBuilder();
        String[] labels = {"billing", "shipping", "returns"};
        for (int i = 0; i < rows; i++) {
            String label = labels[i % 7 == 0 ? 2 : i % 2];
            content.append("{\"instruction\":\"Classify the ticket\",\"input\":\"ticket number ").append(i)
                    .append(" about ").append(label).append("\",\"output\":\"").append(label).append("\"}\n");
        }
        content.append("{\"instruction\":\"Classify the ticket\",\"input\":\"ticket number 1 about shipping\",\"output\":\"shipping\"}\n");
        return content.toString();
    }

    static Response upload(TeamIdentity team, String name, String content, boolean skipInvalid) {
        return as(team)
                .multiPart("file", name, content.getBytes(StandardCharsets.UTF_8), "application/jsonl")
                .multiPart("purpose", "fine-tune")
                .multiPart("skip_invalid", String.valueOf(skipInvalid))
                .post("/v1/files");
    }

    @Test
    void uploadCreateDatasetReceiveEventAndDownloadIdenticalSplits() {
        TeamIdentity team = TestTeams.newTeam("acme");
        try (KafkaConsumer<String, String> consumer = consumer(Topics.DATASETS)) {
            Response file = upload(team, "tickets.jsonl", classificationFile(200), false);
            file.then().statusCode(200).body("object", equalTo("file")).body("status", equalTo("processed"))
                    .body("purpose", equalTo("fine-tune")).body("id", startsWith("file-"))
                    .body("dataset.format", equalTo("alpaca")).body("dataset.rows", equalTo(201));
            String fileId = file.path("id");

            Response created = as(team).contentType("application/json")
                    .body(Map.of("file_id", fileId, "validation_fraction", 0.2, "seed", 7)).post("/v1/datasets");
            created.then().statusCode(201);
            String datasetId = created.path("id");
            assertThat(datasetId).startsWith("ds-");
            assertThat((Integer) created.path("stats.duplicates_removed")).isEqualTo(1);
            assertThat((Integer) created.path("stats.rows")).isEqualTo(200);
            assertThat((Integer) created.path("splits.validation.rows")).isEqualTo(40);
            assertThat((Integer) created.path("splits.train.rows")).isEqualTo(160);
            assertThat((Boolean) created.path("stats.stratified")).isTrue();
            assertThat((Integer) created.path("stats.leakage_rows")).isZero();

            // Idempotent: the same file and options name the same dataset.
            as(team).contentType("application/json")
                    .body(Map.of("file_id", fileId, "validation_fraction", 0.2, "seed", 7)).post("/v1/datasets")
                    .then().statusCode(200).body("id", equalTo(datasetId));

            DatasetIngested event = (DatasetIngested) awaitEvent(consumer, e -> e.subjectId().equals(datasetId));
            assertThat(event.teamId()).isEqualTo(team.teamId());
            assertThat(event.trainRows()).isEqualTo(160);
            assertThat(event.validationRows()).isEqualTo(40);

            String trainPath = "/v1/datasets/" + datasetId + "/splits/train";
            String validationPath = "/v1/datasets/" + datasetId + "/splits/validation";
            byte[] train = as(team).get(trainPath).then().statusCode(200).extract().asByteArray();
            byte[] validation = as(team).get(validationPath).then().statusCode(200).extract().asByteArray();
            assertThat(as(team).get(trainPath).asByteArray()).isEqualTo(train);
            assertThat(as(team).get(validationPath).asByteArray()).isEqualTo(validation);
            assertThat(new String(train, StandardCharsets.UTF_8).lines()).hasSize(160);
            assertThat(new String(validation, StandardCharsets.UTF_8).lines()).hasSize(40);

            String reportPath = "/v1/datasets/" + datasetId + "/report";
            as(team).get(reportPath).then().statusCode(200)
                    .body("duplicates_removed", equalTo(1)).body("duplicate_lines[0]", equalTo(201));

            // Another team sees none of it.
            TeamIdentity other = TestTeams.newTeam("globex");
            as(other).get("/v1/datasets/" + datasetId).then().statusCode(404);
            as(other).get("/v1/files/" + fileId).then().statusCode(404);
            as(other).get(trainPath).then().statusCode(404);
            as(other).get("/v1/datasets").then().statusCode(200).body("data.size()", equalTo(0));
        }
    }

    @Test
    void strictRejectionReturnsTheWholeReportStoresNothingAndAnnouncesIt() {
        TeamIdentity team = TestTeams.newTeam("initech");
        String content = "{\"prompt\":\"a\",\"completion\":\"b\"}\n{\"prompt\":\"c\"\n{\"prompt\":\"d\",\"completion\":\"\"}\n";
        try (KafkaConsumer<String, String> consumer = consumer(Topics.DATASETS)) {
            Response response = upload(team, "bad.jsonl", content, false);
            response.then().statusCode(400)
                    .body("error.code", equalTo("invalid_file"))
                    .body("error.message", startsWith("the file was rejected: line 2: invalid JSON"))
                    .body("file.status", equalTo("error"))
                    .body("report.problem_count", equalTo(2))
                    .body("report.problems[0].line", equalTo(2))
                    .body("report.problems[1].line", equalTo(3))
                    .body("report.problems[1].field", equalTo("completion"));
            String rejectedId = response.path("file.id");
            as(team).get("/v1/files").then().statusCode(200).body("data.size()", equalTo(0));
            as(team).get("/v1/files/" + rejectedId).then().statusCode(404);
            DatasetRejected event = (DatasetRejected) awaitEvent(consumer, e -> e.subjectId().equals(rejectedId));
            assertThat(event.problemCount()).isEqualTo(2);
            assertThat(event.firstProblems().get(0)).startsWith("line 2: invalid JSON");
        }
    }

    @Test
    void skipInvalidKeepsValidRowsAndRecordsSkippedLines() {
        TeamIdentity team = TestTeams.newTeam("umbrella");
        StringBuilder content = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            content.append(i == 4 || i == 9 ? "{broken\n" : "{\"prompt\":\"q" + i + "\",\"completion\":\"a" + i + "\"}\n");
        }
        Response response = upload(team, "partial.jsonl", content.toString(), true);
        response.then().statusCode(200).body("status", equalTo("processed"))
                .body("dataset.rows", equalTo(28)).body("dataset.skipped_lines", equalTo(2))
                .body("status_details", startsWith("skipped 2 invalid line(s): line 5: invalid JSON"));
        String fileId = response.path("id");
        Response dataset = as(team).contentType("application/json")
                .body(Map.of("file_id", fileId)).post("/v1/datasets");
        dataset.then().statusCode(201).body("splits.validation.rows", equalTo(3)).body("splits.train.rows", equalTo(25));
        String reportPath = "/v1/datasets/" + dataset.path("id") + "/report";
        as(team).get(reportPath).then().statusCode(200)
                .body("file.skipped_lines", equalTo(List.of(5, 10)));
    }

    @Test
    void fileCannotBeDeletedWhileAJobTrainsOnItsDataset() throws Exception {
        TeamIdentity team = TestTeams.newTeam("hooli");
        String fileId = upload(team, "t.jsonl", classificationFile(40), false).then().statusCode(200).extract().path("id");
        String datasetId = as(team).contentType("application/json")
                .body(Map.of("file_id", fileId)).post("/v1/datasets").then().statusCode(201).extract().path("id");
        String jobId = "ftjob-" + UUID.randomUUID();
        publish(Topics.JOBS, JobCreated.of(team.teamId(), jobId, "tiny-llama", datasetId, Map.of()));

        String path = "/v1/files/" + fileId;
        String datasetPath = "/v1/datasets/" + datasetId;
        await(() -> as(team).get(datasetPath).<List<String>>path("active_jobs").contains(jobId));
        as(team).delete(path).then().statusCode(409).body("error.code", equalTo("file_in_use"));

        publish(Topics.JOBS, JobSucceeded.of(team.teamId(), jobId, "sha256-" + "0".repeat(64), "tiny-llama", 10, 1.0, null,
                "ft:tiny-llama:" + team.teamName() + "::" + jobId, null, null, null, Map.of()));
        await(() -> as(team).get(datasetPath).<List<String>>path("active_jobs").isEmpty());
        as(team).delete(path).then().statusCode(200).body("deleted", equalTo(true));
        as(team).get(path).then().statusCode(404);
        // The dataset made from the file keeps its own split artifacts.
        String trainPath = "/v1/datasets/" + datasetId + "/splits/train";
        as(team).get(trainPath).then().statusCode(200);
    }

    /**
     * Token lengths are the base model's: Qwen 2.5's real tokenizer and chat template (shared fixtures) must count
     * exactly the ids an independent implementation produced for the same conversations.
     */
    @Test
    void tokenStatisticsUseTheBaseModelsChatTemplateAndTokenizer() throws Exception {
        java.nio.file.Path fixtures = java.nio.file.Path.of(System.getProperty("tunewright.shared.dir", "../../shared"),
                "fixtures", "tokenizers", "qwen2.5");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(fixtures),
                "shared tokenizer fixtures not found at " + fixtures + "; skipping the token statistics check");
        java.nio.file.Path model = java.nio.file.Path.of("target", "test-models", "qwen2.5");
        java.nio.file.Files.createDirectories(model);
        for (String name : List.of("tokenizer.json", "tokenizer_config.json")) {
            java.nio.file.Files.copy(fixtures.resolve(name), model.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        var golden = new com.fasterxml.jackson.databind.ObjectMapper().readTree(fixtures.resolve("golden.json").toFile());
        StringBuilder content = new StringBuilder();
        long total = 0;
        List<Integer> lengths = new ArrayList<>();
        for (var conversation : golden.get("conversations")) {
            if (!conversation.path("add_generation_prompt").asBoolean() && conversation.has("ids")
                    && conversation.get("options") == null) {
                content.append("{\"messages\":").append(conversation.get("messages")).append("}\n");
                lengths.add(conversation.get("ids").size());
                total += conversation.get("ids").size();
            }
        }
        assertThat(lengths).hasSizeGreaterThanOrEqualTo(2);
        TeamIdentity team = TestTeams.newTeam("tokens");
        String fileId = upload(team, "chat.jsonl", content.toString(), false).then().statusCode(200).extract().path("id");
        int max = lengths.stream().mapToInt(Integer::intValue).max().orElseThrow();
        int min = lengths.stream().mapToInt(Integer::intValue).min().orElseThrow();
        Response dataset = as(team).contentType("application/json")
                .body(Map.of("file_id", fileId, "validation_fraction", 0.5, "base_model", "qwen2.5", "max_seq_length", max - 1))
                .post("/v1/datasets");
        dataset.then().statusCode(201)
                .body("stats.tokens.base_model", equalTo("qwen2.5"))
                .body("stats.tokens.chat_template", equalTo(true))
                .body("stats.tokens.tokens.max", equalTo(max))
                .body("stats.tokens.tokens.min", equalTo(min))
                .body("stats.tokens.total_tokens", equalTo((int) total))
                .body("stats.tokens.rows_over_max_seq_length", equalTo((int) lengths.stream().filter(l -> l == max).count()));

        as(team).contentType("application/json")
                .body(Map.of("file_id", fileId, "base_model", "../etc")).post("/v1/datasets")
                .then().statusCode(400).body("error.param", equalTo("base_model"));
        as(team).contentType("application/json")
                .body(Map.of("file_id", fileId, "max_seq_length", 10)).post("/v1/datasets")
                .then().statusCode(400).body("error.param", equalTo("base_model"));
    }

    @Test
    void badOptionsNameTheParameter() {
        TeamIdentity team = TestTeams.newTeam("stark");
        String fileId = upload(team, "t.jsonl", classificationFile(40), false).then().statusCode(200).extract().path("id");
        as(team).contentType("application/json")
                .body(Map.of("file_id", fileId, "validation_fraction", 0.9)).post("/v1/datasets")
                .then().statusCode(400).body("error.param", equalTo("validation_fraction"));
        as(team).contentType("application/json")
                .body(Map.of("file_id", fileId, "dedup", "fuzzy")).post("/v1/datasets")
                .then().statusCode(400).body("error.param", equalTo("dedup"));
        as(team).contentType("application/json")
                .body(Map.of("file_id", "file-nope")).post("/v1/datasets").then().statusCode(404);
        as(team).multiPart("file", "x.jsonl", "{}".getBytes(StandardCharsets.UTF_8))
                .multiPart("purpose", "assistants").post("/v1/files")
                .then().statusCode(400).body("error.param", equalTo("purpose"));
        given().get("/v1/datasets").then().statusCode(401);
    }

    /** Polls a condition that a Kafka consumer makes true, every 50 ms for at most 30 s. */
    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("condition not met within 30 s");
            }
            Thread.sleep(50);
        }
    }

    private static KafkaConsumer<String, String> consumer(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Infrastructure.get().bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "dataset-it-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    private static DatasetEvent awaitEvent(KafkaConsumer<String, String> consumer, Predicate<DatasetEvent> match) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        List<String> seen = new ArrayList<>();
        while (Instant.now().isBefore(deadline)) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                DatasetEvent event = EventJson.read(record.value(), DatasetEvent.class);
                seen.add(event.subjectId());
                if (match.test(event)) {
                    assertThat(record.key()).isEqualTo(event.subjectId());
                    return event;
                }
            }
        }
        throw new AssertionError("no matching event on " + Topics.DATASETS + " within 30 s; saw " + seen);
    }

    private static void publish(String topic, dev.tunewright.contracts.Event event) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Infrastructure.get().bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>(topic, event.subjectId(), EventJson.write(event))).get();
        }
    }
}
