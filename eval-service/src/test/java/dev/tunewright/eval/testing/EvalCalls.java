package dev.tunewright.eval.testing;

import dev.tunewright.common.identity.TeamIdentity;
import dev.tunewright.contracts.EventJson;
import dev.tunewright.contracts.Topics;
import dev.tunewright.contracts.job.JobEvent;
import dev.tunewright.contracts.job.JobLineage;
import dev.tunewright.contracts.job.JobSucceeded;
import dev.tunewright.testing.Infrastructure;
import dev.tunewright.testing.TeamRequests;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
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

/** Calls the evaluation service as a team (as the gateway signs them) and plays the trainer's side of Kafka. */
public final class EvalCalls {

    private EvalCalls() {
    }

    public static TeamIdentity newTeam(String name) {
        return TeamRequests.newTeam(name);
    }

    /** A request of {@code team}, signed for its method, path and query when it is sent. */
    public static RequestSpecification as(TeamIdentity team) {
        return TeamRequests.as(team);
    }

    /** The identity header the gateway would send for {@code team} on this method and target (path and query). */
    public static String identity(TeamIdentity team, String method, String target) {
        return TeamRequests.sign(team, method, target);
    }

    public static Response get(TeamIdentity team, String path) {
        return as(team).get(path);
    }

    /** A succeeded job of {@code team} with the tiny job's adapter, splits and result file. */
    public static JobSucceeded succeeded(TeamIdentity team, String jobId, TinyJobs.Job job, TinyJobs tiny,
            Map<String, Object> evaluation) {
        JobLineage lineage = new JobLineage(TinyJobs.BASE, null, "a".repeat(64), "b".repeat(64), "ds-" + jobId,
                "c".repeat(64), job.trainArtifactId(), tiny.validationArtifactId, Map.of("max_seq_length", 64,
                "n_epochs", 1), 3, "test");
        return JobSucceeded.of(team.teamId(), jobId, job.adapterArtifactId(), TinyJobs.BASE, 12345, 0.1, 0.2,
                fineTunedId(team, jobId), "keywords", lineage, job.resultFileArtifactId(), evaluation);
    }

    public static String fineTunedId(TeamIdentity team, String jobId) {
        return "ft:" + TinyJobs.BASE + ":" + team.teamName() + ":keywords:" + jobId;
    }

    public static void publish(JobEvent... events) {
        publish(List.of(events).stream().map(EventJson::write).toList(), List.of(events).get(0).subjectId());
    }

    /** Publishes raw event JSON (a redelivery is the same JSON again) keyed like the trainer keys them. */
    public static void publish(List<String> payloads, String key) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Infrastructure.get().bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (String payload : payloads) {
                producer.send(new ProducerRecord<>(Topics.JOBS, key, payload));
            }
            producer.flush();
        }
    }

    public static KafkaConsumer<String, String> consumer(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Infrastructure.get().bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "eval-it-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    /** The first record of {@code consumer} matching {@code wanted} within {@code timeout}. */
    public static String awaitRecord(KafkaConsumer<String, String> consumer, Predicate<String> wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                if (wanted.test(record.value())) {
                    return record.value();
                }
            }
        }
        throw new AssertionError("no matching record within " + timeout);
    }

    /** The team's evaluations of {@code jobId}, once at least {@code count} exist (polled). */
    public static List<Map<String, Object>> awaitEvaluationsOf(TeamIdentity team, String jobId, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Map<String, Object>> found = get(team, "/v1/evaluations").then().statusCode(200).extract().jsonPath()
                    .<Map<String, Object>>getList("data").stream().filter(e -> jobId.equals(e.get("job_id"))).toList();
            if (found.size() >= count || System.nanoTime() > deadline) {
                if (found.size() < count) {
                    throw new AssertionError("only " + found.size() + " evaluation(s) of " + jobId + " after " + timeout);
                }
                return found;
            }
            pause();
        }
    }

    /** Waits until the service has learned the team's fine-tuned model from its job event (it serves it then). */
    public static void awaitFineTuned(TeamIdentity team, String model, Duration timeout) {
        String path = "/v1/chat/completions";
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            int status = as(team).contentType("application/json").body(Map.of("model", model, "max_tokens", 1,
                    "messages", List.of(Map.of("role", "user", "content", "the")))).post(path).statusCode();
            if (status == 200) {
                return;
            }
            if (status != 404 || System.nanoTime() > deadline) {
                throw new AssertionError(model + " answered " + status + " instead of being served");
            }
            pause();
        }
    }

    /** The evaluation once it has succeeded or failed (polled). */
    public static JsonPath awaitDone(TeamIdentity team, String id, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonPath body = get(team, "/v1/evaluations/" + id).then().statusCode(200).extract().jsonPath();
            String status = body.getString("status");
            if (status.equals("succeeded") || status.equals("failed")) {
                return body;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("evaluation " + id + " still " + status + " after " + timeout);
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
