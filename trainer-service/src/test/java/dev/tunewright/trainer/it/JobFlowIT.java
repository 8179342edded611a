package dev.tunewright.trainer.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunewright.common.identity.TeamIdentity;
import dev.tunewright.contracts.Topics;
import dev.tunewright.contracts.job.CheckpointSaved;
import dev.tunewright.contracts.job.JobCreated;
import dev.tunewright.contracts.job.JobEvent;
import dev.tunewright.contracts.job.JobStarted;
import dev.tunewright.contracts.job.JobSucceeded;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import dev.tunewright.testing.TeamRequests;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/**
 * A job's whole life in the packaged trainer on the real Kafka and PostgreSQL: created on an announced dataset,
 * claimed by the worker role of the same process, trained by the engine on a tiny model, its checkpoints and
 * adapter stored and verified in the artifact store, its events listed and announced.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(TrainerTestResource.class)
class JobFlowIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @Test
    void trainsAJobToSuccessWithEventsCheckpointsAndLineage() throws IOException {
        TeamIdentity team = Teams.newTeam("acme");
        String dataset = TrainerFixtures.announceDataset(team.teamId(), 24, 8, 1);
        try (JobEventLog log = new JobEventLog(Topics.JOBS)) {
            Map<String, Object> body = Jobs.body(dataset, 2, 3);
            body.put("suffix", "tickets");
            body.put("metadata", Map.of("project", "demo"));
            String jobId = Jobs.create(team, body);
            assertThat(jobId).startsWith("ftjob-");

            JsonPath job = Jobs.await(team, jobId, Jobs.ended(), TIMEOUT);
            assertThat(job.getString("status")).as(job.prettify()).isEqualTo("succeeded");
            assertThat(job.getString("object")).isEqualTo("fine_tuning.job");
            assertThat(job.getString("organization_id")).isEqualTo(team.teamId());
            assertThat(job.getString("fine_tuned_model")).isEqualTo("ft:tiny:acme:tickets:" + jobId);
            assertThat(job.getInt("hyperparameters.n_epochs")).isEqualTo(2);
            assertThat(job.getInt("method.supervised.hyperparameters.batch_size")).isEqualTo(4);
            assertThat(job.getInt("progress.step")).isEqualTo(12);
            assertThat(job.getInt("progress.total_steps")).isEqualTo(12);
            assertThat(job.getLong("trained_tokens")).isPositive();
            assertThat(job.getLong("finished_at")).isGreaterThanOrEqualTo(job.getLong("created_at"));
            assertThat(job.getString("metadata.project")).isEqualTo("demo");
            assertThat(job.getInt("lora.r")).isEqualTo(4);
            assertThat(job.getList("result_files")).hasSize(1);

            Response events = Teams.get(team, "/v1/fine_tuning/jobs/" + jobId + "/events?limit=100");
            assertThat(events.statusCode()).isEqualTo(200);
            List<Map<String, Object>> data = events.jsonPath().getList("data");
            List<String> messages = data.stream().map(e -> (String) e.get("message")).toList();
            assertThat(messages.get(0)).isEqualTo("The job has successfully completed");
            assertThat(messages).contains("Files validated, moving job to queued state", "Fine-tuning job started",
                    "Checkpoint created at step 3", "New fine-tuned model created");
            assertThat(messages).anyMatch(m -> m.startsWith("Training data: 24 examples kept"));
            List<Map<String, Object>> metrics = data.stream().filter(e -> "metrics".equals(e.get("type"))).toList();
            assertThat(metrics).hasSize(12);
            @SuppressWarnings("unchecked")
            Map<String, Object> lastStep = (Map<String, Object>) metrics.get(0).get("data");
            assertThat(lastStep).containsEntry("step", 12).containsEntry("total_steps", 12).containsKeys("train_loss",
                    "valid_loss", "valid_mean_token_accuracy", "learning_rate", "tokens_per_second", "epoch");
            assertThat(((Number) lastStep.get("valid_loss")).doubleValue()).isPositive();

            Response checkpoints = Teams.get(team, "/v1/fine_tuning/jobs/" + jobId + "/checkpoints");
            assertThat(checkpoints.jsonPath().getList("data.step_number", Integer.class)).containsExactly(12, 9, 6, 3);
            assertThat(checkpoints.jsonPath().getString("data[0].fine_tuned_model_checkpoint"))
                    .isEqualTo("ft:tiny:acme:tickets:" + jobId + ":ckpt-step-12");
            assertThat(checkpoints.jsonPath().getDouble("data[1].metrics.valid_loss")).isPositive();
            String checkpointId = checkpoints.jsonPath().getString("data[1].id");
            for (String accept : List.of("application/binary", "application/octet-stream", "*/*", "application/json")) {
                Response zip = TeamRequests.as(team).header("Accept", accept)
                        .get("/v1/fine_tuning/jobs/" + jobId + "/checkpoints/" + checkpointId + "/content");
                assertThat(zip.statusCode()).as(accept + ": " + zip.asString()).isEqualTo(200);
                assertThat(zipEntries(zip.asByteArray())).containsExactly("adapter_config.json", "adapter_model.safetensors");
            }

            String resultFile = job.getString("result_files[0]");
            Response csv = Teams.get(team, "/v1/fine_tuning/jobs/" + jobId + "/result_files/" + resultFile + "/content");
            assertThat(csv.statusCode()).isEqualTo(200);
            assertThat(csv.asString().lines()).hasSize(13).first().asString().startsWith("step,epoch,train_loss");

            JobSucceeded succeeded = (JobSucceeded) log.await(jobId, e -> e instanceof JobSucceeded, TIMEOUT);
            assertThat(succeeded.fineTunedModel()).isEqualTo(job.getString("fine_tuned_model"));
            assertThat(succeeded.lineage().baseModel()).isEqualTo("tiny");
            assertThat(succeeded.lineage().baseWeightsSha256()).hasSize(64);
            assertThat(succeeded.lineage().baseTokenizerSha256()).hasSize(64);
            assertThat(succeeded.lineage().datasetId()).isEqualTo(dataset);
            assertThat(succeeded.lineage().datasetSha256()).hasSize(64);
            assertThat(succeeded.lineage().hyperparameters()).containsEntry("lora.r", 4).containsEntry("seed", 7);
            assertThat(succeeded.lineage().seed()).isEqualTo(7);
            assertThat(succeeded.resultFileArtifactId()).startsWith("sha256-");
            assertThat(Jobs.folderHashes(succeeded.adapterArtifactId()))
                    .containsOnlyKeys("adapter_config.json", "adapter_model.safetensors");
            List<Class<?>> lifecycle = new ArrayList<>();
            for (JobEvent event : log.of(jobId)) {
                lifecycle.add(event.getClass());
            }
            assertThat(lifecycle).containsExactly(JobCreated.class, JobStarted.class, CheckpointSaved.class,
                    CheckpointSaved.class, CheckpointSaved.class, CheckpointSaved.class, JobSucceeded.class);
        }
    }

    static List<String> zipEntries(byte[] zip) throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                names.add(entry.getName());
                in.readAllBytes();
            }
        }
        return names;
    }
}
