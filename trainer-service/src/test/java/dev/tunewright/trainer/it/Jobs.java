package dev.tunewright.trainer.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunewright.common.artifact.ArtifactFolder;
import dev.tunewright.common.artifact.ArtifactStore;
import dev.tunewright.common.identity.TeamIdentity;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/** Job requests and waits shared by the trainer's flow tests. */
public final class Jobs {

    private Jobs() {
    }

    /**
     * A job on the tiny model: LoRA r 4 on q/v, {@code epochs} passes over the dataset in batches of 4, a checkpoint
     * and an evaluation every {@code saveEvery} steps, fixed seed (so equal requests train equal adapters).
     */
    public static Map<String, Object> body(String trainingFile, int epochs, int saveEvery) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", TrainerFixtures.MODEL);
        body.put("training_file", trainingFile);
        body.put("seed", 7);
        body.put("method", Map.of("type", "supervised", "supervised", Map.of("hyperparameters",
                Map.of("n_epochs", epochs, "batch_size", 4, "learning_rate_multiplier", 5))));
        body.put("lora", Map.of("r", 4, "target_modules", List.of("q_proj", "v_proj"), "save_every", saveEvery,
                "eval_every", saveEvery, "learning_rate", 1e-3));
        return body;
    }

    public static String create(TeamIdentity team, Map<String, Object> body) {
        Response created = Teams.createJob(team, body);
        assertThat(created.statusCode()).as(created.asString()).isEqualTo(200);
        return created.path("id");
    }

    public static JsonPath get(TeamIdentity team, String jobId) {
        Response job = Teams.get(team, "/v1/fine_tuning/jobs/" + jobId);
        assertThat(job.statusCode()).as(job.asString()).isEqualTo(200);
        return job.jsonPath();
    }

    /** Polls the job until {@code until} holds; fails with the job's last state after {@code timeout}. */
    public static JsonPath await(TeamIdentity team, String jobId, Predicate<JsonPath> until, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonPath job = get(team, jobId);
        while (!until.test(job)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job " + jobId + " did not get there within " + timeout + "; last: "
                        + job.prettify());
            }
            pause(50);
            job = get(team, jobId);
        }
        return job;
    }

    public static Predicate<JsonPath> status(String status) {
        return job -> status.equals(job.getString("status"));
    }

    public static Predicate<JsonPath> ended() {
        return job -> List.of("succeeded", "failed", "cancelled").contains(job.getString("status"));
    }

    /** File name to SHA-256 of a stored folder (an adapter), for comparing two runs byte for byte. */
    public static Map<String, String> folderHashes(String artifactId) {
        try {
            ArtifactStore store = TrainerFixtures.artifacts();
            Map<String, String> out = new TreeMap<>();
            ArtifactFolder.read(store, artifactId).files().forEach((name, stored) -> out.put(name, stored.sha256()));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static Duration minutes(int n) {
        return Duration.ofMinutes(n);
    }
}
