package dev.tunewright.trainer.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunewright.common.identity.TeamIdentity;
import dev.tunewright.contracts.Topics;
import dev.tunewright.contracts.job.CheckpointSaved;
import dev.tunewright.contracts.job.JobCreated;
import dev.tunewright.contracts.job.JobEvent;
import dev.tunewright.contracts.job.JobStarted;
import dev.tunewright.contracts.job.JobSucceeded;
import dev.tunewright.testing.InfrastructureExtension;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Workers as separate processes of the packaged trainer beside an API-only one, as pods run them: a worker killed
 * with SIGKILL mid-job loses its lease, another resumes the job from its last stored checkpoint, and the job ends
 * with the adapter an uninterrupted run trains, each lifecycle event announced once.
 */
@ExtendWith(InfrastructureExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkerKillIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(4);
    private static final Duration STARTUP = Duration.ofMinutes(2);
    private static final Map<String, String> WORKER = Map.of(
            "tunewright.trainer.roles", "worker",
            "tunewright.trainer.worker.lease-time", "3s",
            "tunewright.trainer.worker.heartbeat-every", "1s",
            "tunewright.trainer.worker.poll-every", "300ms");
    private static TrainerProcess api;

    @BeforeAll
    static void startApi() throws Exception {
        api = TrainerProcess.start("api", Map.of("tunewright.trainer.roles", "api",
                "tunewright.trainer.limits.max-queued-per-team", "2")).awaitReady(STARTUP);
        RestAssured.baseURI = "http://127.0.0.1";
        RestAssured.port = Integer.parseInt(api.url().substring(api.url().lastIndexOf(':') + 1));
    }

    @AfterAll
    static void stopApi() throws Exception {
        RestAssured.reset();
        if (api != null) {
            api.close();
        }
    }

    @Test
    @Order(1)
    void aTeamsQueueLimitAnswers429NamingItAndAnApiOnlyInstanceTrainsNothing() {
        TeamIdentity team = Teams.newTeam("limited");
        String dataset = TrainerFixtures.announceDataset(TrainerProcess.SCHEMA, team.teamId(), 24, 8, 11);
        String first = Jobs.create(team, Jobs.body(dataset, 1, 3));
        Jobs.await(team, first, Jobs.status("queued"), TIMEOUT);
        String second = Jobs.create(team, Jobs.body(dataset, 1, 3));
        Response third = Teams.createJob(team, Jobs.body(dataset, 1, 3));
        assertThat(third.statusCode()).as(third.asString()).isEqualTo(429);
        assertThat(third.jsonPath().getString("error.code")).isEqualTo("queued_job_limit");
        assertThat(third.jsonPath().getString("error.message")).contains("tunewright.trainer.limits.max-queued-per-team = 2");
        assertThat(Jobs.get(team, second).getInt("queue_position")).isPositive();
        for (String job : List.of(first, second)) {
            assertThat(Teams.post(team, "/v1/fine_tuning/jobs/" + job + "/cancel", null).jsonPath().getString("status"))
                    .isEqualTo("cancelled");
        }
        assertThat(Teams.get(team, "/v1/fine_tuning/jobs").jsonPath().getList("data")).hasSize(2);
    }

    @Test
    @Order(2)
    void aJobSurvivesThreeSigkillsOfItsWorkerAndTrainsTheAdapterOfAnUninterruptedRun() throws Exception {
        long seed = Long.getLong("tunewright.test.kill-seed", System.nanoTime());
        Random random = new Random(seed);
        TeamIdentity team = Teams.newTeam("survivor");
        String dataset = TrainerFixtures.announceDataset(TrainerProcess.SCHEMA, team.teamId(), 640, 8, 12);
        Map<String, Object> body = Jobs.body(dataset, 2, 16);
        try (JobEventLog log = new JobEventLog(Topics.JOBS)) {
            TrainerProcess worker = TrainerProcess.start("worker-0", WORKER).awaitReady(STARTUP);
            String reference = Jobs.create(team, body);
            JobSucceeded uninterrupted = (JobSucceeded) log.await(reference, e -> e instanceof JobSucceeded, TIMEOUT);

            String jobId = Jobs.create(team, body);
            int total = Jobs.await(team, jobId, job -> job.getInt("progress.step") > 0, TIMEOUT).getInt("progress.total_steps");
            List<Integer> killedAt = new ArrayList<>();
            List<Integer> resumeFrom = new ArrayList<>();
            for (int kill = 0; kill < 3; kill++) {
                int target = total * (2 * kill + 1) / 8 + random.nextInt(Math.max(1, total / 8));
                JsonPath job = Jobs.await(team, jobId, j -> j.getInt("progress.step") >= target || Jobs.ended().test(j), TIMEOUT);
                assertThat(job.getString("status")).as("the job must still run at kill %d", kill).isEqualTo("running");
                worker.kill();
                killedAt.add(job.getInt("progress.step"));
                List<Integer> stored = Teams.get(team, "/v1/fine_tuning/jobs/" + jobId + "/checkpoints").jsonPath()
                        .getList("data.step_number", Integer.class);
                resumeFrom.add(stored.isEmpty() ? 0 : stored.get(0));
                worker = TrainerProcess.start("worker-" + (kill + 1), WORKER).awaitReady(STARTUP);
            }
            JobSucceeded survived = (JobSucceeded) log.await(jobId, e -> e instanceof JobSucceeded, TIMEOUT);
            worker.close();

            assertThat(Jobs.folderHashes(survived.adapterArtifactId()))
                    .as("adapter after kills at steps %s (seed %d)", killedAt, seed)
                    .isEqualTo(Jobs.folderHashes(uninterrupted.adapterArtifactId()));
            List<String> resumed = JobControlIT.events(team, jobId).stream().map(e -> (String) e.get("message"))
                    .filter(m -> m.startsWith("Fine-tuning job resumed")).toList();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                expected.add(0, "Fine-tuning job resumed from the checkpoint of step " + resumeFrom.get(i) + " (attempt "
                        + (i + 2) + ")");
            }
            assertThat(resumed).isEqualTo(expected);

            List<JobEvent> lifecycle = log.of(jobId);
            List<Integer> attempts = lifecycle.stream().filter(e -> e instanceof JobStarted).map(e -> ((JobStarted) e).attempt()).toList();
            List<Long> checkpoints = lifecycle.stream().filter(e -> e instanceof CheckpointSaved)
                    .map(e -> ((CheckpointSaved) e).step()).toList();
            System.out.printf("kill test (seed %d): killed at steps %s, resumed from %s; %d deliveries on %s, %d distinct"
                            + " events of the job: job.created %d, job.started %d (attempts %s), job.checkpoint-saved %d"
                            + " (steps %s), job.succeeded %d%n", seed, killedAt, resumeFrom, log.deliveries(), Topics.JOBS,
                    lifecycle.size(), lifecycle.stream().filter(e -> e instanceof JobCreated).count(), attempts.size(),
                    attempts, checkpoints.size(), checkpoints,
                    lifecycle.stream().filter(e -> e instanceof JobSucceeded).count());
            assertThat(lifecycle.stream().filter(e -> e instanceof JobCreated)).hasSize(1);
            assertThat(attempts).containsExactly(1, 2, 3, 4);
            assertThat(checkpoints).doesNotHaveDuplicates().isSorted().contains((long) total);
            assertThat(lifecycle.stream().filter(e -> e instanceof JobSucceeded)).hasSize(1);
            assertThat(lifecycle).allMatch(e -> e instanceof JobCreated || e instanceof JobStarted
                    || e instanceof CheckpointSaved || e instanceof JobSucceeded);
        }
    }

    @Test
    @Order(3)
    void aHubModelThatCannotBeFetchedFailsTheJobNamingTheModel() throws Exception {
        TeamIdentity team = Teams.newTeam("offline");
        String dataset = TrainerFixtures.announceDataset(TrainerProcess.SCHEMA, team.teamId(), 24, 8, 14);
        Map<String, Object> body = Jobs.body(dataset, 1, 3);
        body.put("model", "tunewright-test/no-such-model");
        String jobId = Jobs.create(team, body);
        Map<String, String> hub = Map.of("HF_ENDPOINT", "http://127.0.0.1:9",
                "HF_HUB_CACHE", TrainerFixtures.get().root().resolve("empty-hub-cache").toString());
        try (TrainerProcess worker = TrainerProcess.start("worker-offline", WORKER, hub).awaitReady(STARTUP)) {
            JsonPath job = Jobs.await(team, jobId, Jobs.ended(), TIMEOUT);
            assertThat(job.getString("status")).isEqualTo("failed");
            assertThat(job.getString("error.code")).isEqualTo("model_unavailable");
            assertThat(job.getString("error.param")).isEqualTo("model");
            assertThat(job.getString("error.message")).contains("tunewright-test/no-such-model").doesNotContain("\tat ");
            assertThat(worker.alive()).as("a job's bad model does not take the worker down").isTrue();
        }
    }

    @Test
    @Order(4)
    void aOnceWorkerRunsOneJobAndExits() throws Exception {
        TeamIdentity team = Teams.newTeam("once");
        String dataset = TrainerFixtures.announceDataset(TrainerProcess.SCHEMA, team.teamId(), 24, 8, 13);
        String jobId = Jobs.create(team, Jobs.body(dataset, 1, 3));
        Jobs.await(team, jobId, Jobs.status("queued"), TIMEOUT);
        Map<String, String> once = new java.util.HashMap<>(WORKER);
        once.put("tunewright.trainer.worker.once", "true");
        try (TrainerProcess worker = TrainerProcess.start("worker-once", once)) {
            assertThat(worker.awaitExit(TIMEOUT)).isZero();
        }
        assertThat(Jobs.get(team, jobId).getString("status")).isEqualTo("succeeded");
    }
}
