package dev.tunewright.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunewright.contracts.adapter.AdapterEvent;
import dev.tunewright.contracts.adapter.AdapterPromoted;
import dev.tunewright.contracts.adapter.AdapterRegistered;
import dev.tunewright.contracts.dataset.DatasetEvent;
import dev.tunewright.contracts.dataset.DatasetIngested;
import dev.tunewright.contracts.dataset.DatasetRejected;
import dev.tunewright.contracts.evaluation.EvaluationCompleted;
import dev.tunewright.contracts.evaluation.EvaluationEvent;
import dev.tunewright.contracts.evaluation.EvaluationFailed;
import dev.tunewright.contracts.evaluation.Verdict;
import dev.tunewright.contracts.job.CheckpointSaved;
import dev.tunewright.contracts.job.JobCancelled;
import dev.tunewright.contracts.job.JobCreated;
import dev.tunewright.contracts.job.JobEvent;
import dev.tunewright.contracts.job.JobFailed;
import dev.tunewright.contracts.job.JobLineage;
import dev.tunewright.contracts.job.JobProgress;
import dev.tunewright.contracts.job.JobStarted;
import dev.tunewright.contracts.job.JobSucceeded;
import dev.tunewright.contracts.team.TeamCreated;
import dev.tunewright.contracts.team.TeamEvent;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class EventRoundTripTest {

    private static final String TEAM = "8b0e7c1e-2f3a-4d8e-9a57-0f1e2d3c4b5a";
    private static final JobLineage LINEAGE = new JobLineage("Qwen/Qwen2.5-0.5B-Instruct", "7ae557604adf67be50417f59c2c2f167def9a775",
            "a".repeat(64), "b".repeat(64), "ds-1", "c".repeat(64), "art-train", "art-val",
            Map.of("n_epochs", 3, "lora", Map.of("r", 16)), 42, "0.1.0");

    static Stream<Arguments> everyEvent() {
        return Stream.of(
                Arguments.of(TeamCreated.of(TEAM, "acme"), TeamEvent.class, "team.created"),
                Arguments.of(DatasetIngested.of(TEAM, "ds-1", "file-1", "chat", 900, 100, "art-train", "art-val"),
                        DatasetEvent.class, "dataset.ingested"),
                Arguments.of(DatasetRejected.of(TEAM, "file-2", 2, List.of("line 3: invalid JSON", "line 9: empty output")),
                        DatasetEvent.class, "dataset.rejected"),
                Arguments.of(JobCreated.of(TEAM, "ftjob-1", "Qwen/Qwen2.5-0.5B-Instruct", "ds-1",
                        Map.of("lora_r", 16, "learning_rate", 2.0e-4, "scheduler", "cosine")), JobEvent.class, "job.created"),
                Arguments.of(JobStarted.of(TEAM, "ftjob-1", "worker-a", 1), JobEvent.class, "job.started"),
                Arguments.of(JobProgress.of(TEAM, "ftjob-1", 10, 100, 0.1, 2.31, 1.9e-4, 0.87, 1234.5, 2.4, 0.41),
                        JobEvent.class, "job.progress"),
                Arguments.of(JobProgress.of(TEAM, "ftjob-1", 11, 100, 0.11, 2.29, 1.9e-4, 0.85, 1240.0, null, null),
                        JobEvent.class, "job.progress"),
                Arguments.of(CheckpointSaved.of(TEAM, "ftjob-1", 50, "ckpt-1", "ftckpt-1", "adapter-art-50",
                        Map.of("train_loss", 1.3, "valid_loss", 1.5), true, LINEAGE), JobEvent.class, "job.checkpoint-saved"),
                Arguments.of(JobSucceeded.of(TEAM, "ftjob-1", "adapter-art-1", "Qwen/Qwen2.5-0.5B-Instruct", 123456, 1.2, 1.4,
                        "ft:Qwen2.5-0.5B-Instruct:acme:support:ftjob-1", "support", LINEAGE, "metrics-art-1",
                        Map.of("task_type", "classification")), JobEvent.class, "job.succeeded"),
                Arguments.of(JobFailed.of(TEAM, "ftjob-2", "out_of_memory", "CUDA out of memory at step 3"),
                        JobEvent.class, "job.failed"),
                Arguments.of(JobCancelled.of(TEAM, "ftjob-3", "cancelled by user"), JobEvent.class, "job.cancelled"),
                Arguments.of(EvaluationCompleted.of(TEAM, "eval-1", "ftjob-1", null, "adapter-art-1", "Qwen/Qwen2.5-0.5B-Instruct",
                        new EvaluationCompleted.Outcome("classification", "accuracy", Map.of("loss", 2.1, "accuracy", 0.33),
                                Map.of("loss", 1.1, "accuracy", 0.92), Verdict.IMPROVED, 0.59, 0.51, 0.66, null, Map.of(), null)),
                        EvaluationEvent.class, "evaluation.completed"),
                Arguments.of(EvaluationFailed.of(TEAM, "eval-2", "ftjob-1", "validation split missing"),
                        EvaluationEvent.class, "evaluation.failed"),
                Arguments.of(AdapterRegistered.of(TEAM, "adp-1", "support-bot", 3, "ftjob-1", "ds-1",
                        "Qwen/Qwen2.5-0.5B-Instruct", "adapter-art-1"), AdapterEvent.class, "adapter.registered"),
                Arguments.of(AdapterRegistered.of(TEAM, "adp-1", "support-bot", 4, "ftjob-2", "ds-1",
                        "Qwen/Qwen2.5-0.5B-Instruct", "adapter-art-2", "ft:Qwen2.5-0.5B-Instruct:acme:support-bot:ftjob-2",
                        "7ae557604adf67be50417f59c2c2f167def9a775"), AdapterEvent.class, "adapter.registered"),
                Arguments.of(AdapterPromoted.of(TEAM, "adp-1", "support-bot", "production"),
                        AdapterEvent.class, "adapter.promoted"),
                Arguments.of(AdapterPromoted.of(TEAM, "adp-1", "support-bot", "production", 4, 3, "adapter-art-2",
                        "ft:Qwen2.5-0.5B-Instruct:acme:support-bot:ftjob-2", "beats v3 on accuracy", true),
                        AdapterEvent.class, "adapter.promoted"),
                Arguments.of(AdapterPromoted.of(TEAM, "adp-1", "support-bot", "staging", null, 4, null, null,
                        "retired", false), AdapterEvent.class, "adapter.promoted"));
    }

    @ParameterizedTest
    @MethodSource("everyEvent")
    void roundTripsAsItsOwnTypeAndAsItsTopicFamily(Event event, Class<? extends Event> family, String typeName)
            throws Exception {
        String json = EventJson.write(event);

        assertThat(EventJson.read(json, event.getClass())).isEqualTo(event);
        assertThat(EventJson.read(json, family)).isEqualTo(event);

        JsonNode tree = EventJson.mapper().readTree(json);
        assertThat(tree.get("type").asText()).isEqualTo(typeName);
        assertThat(tree.get("schemaVersion").asInt()).isEqualTo(EventFields.SCHEMA_VERSION);
        assertThat(tree.get("eventId").asText()).isEqualTo(event.eventId().toString());
        assertThat(tree.get("occurredAt").isTextual()).as("timestamps are ISO-8601 strings").isTrue();
        assertThat(tree.get("teamId").asText()).isEqualTo(TEAM);
    }

    @Test
    void unknownFieldsFromANewerProducerAreTolerated() throws Exception {
        var node = (com.fasterxml.jackson.databind.node.ObjectNode) EventJson.mapper()
                .readTree(EventJson.write(JobCancelled.of(TEAM, "ftjob-9", "user")));
        node.put("addedLater", "x");
        JobEvent read = EventJson.read(node.toString(), JobEvent.class);
        assertThat(read).isInstanceOf(JobCancelled.class);
        assertThat(read.subjectId()).isEqualTo("ftjob-9");
    }

    @Test
    void aMalformedEventFailsWithTheFieldNamed() {
        assertThatThrownBy(() -> TeamCreated.of(" ", "acme")).hasMessageContaining("teamId");
        assertThatThrownBy(() -> TeamCreated.of(TEAM, "")).hasMessageContaining("teamName");
        String missingJob = "{\"type\":\"job.cancelled\",\"schemaVersion\":1,\"eventId\":\"" + java.util.UUID.randomUUID()
                + "\",\"occurredAt\":\"2026-01-01T00:00:00Z\",\"teamId\":\"t\",\"reason\":\"r\"}";
        assertThatThrownBy(() -> EventJson.read(missingJob, JobEvent.class)).hasMessageContaining("subject id");
    }
}
