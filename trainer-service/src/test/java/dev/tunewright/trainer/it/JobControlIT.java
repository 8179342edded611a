package dev.tunewright.trainer.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunewright.common.identity.IdentitySigner;
import dev.tunewright.common.identity.TeamIdentity;
import dev.tunewright.contracts.Topics;
import dev.tunewright.contracts.job.JobCancelled;
import dev.tunewright.contracts.job.JobSucceeded;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import dev.tunewright.testing.TeamRequests;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Cancel, pause and resume of running jobs, the live event stream, and what other teams and illegal moves get. */
@QuarkusIntegrationTest
@QuarkusTestResource(TrainerTestResource.class)
class JobControlIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(4);

    @TestHTTPResource
    URL base;

    @Test
    void cancelStopsAtTheNextStepKeepsTheLastCheckpointAndEndsTheJob() {
        TeamIdentity team = Teams.newTeam("cancel");
        String dataset = TrainerFixtures.announceDataset(team.teamId(), 400, 8, 2);
        try (JobEventLog log = new JobEventLog(Topics.JOBS)) {
            String jobId = Jobs.create(team, Jobs.body(dataset, 4, 5));
            JsonPath running = Jobs.await(team, jobId, job -> job.getInt("progress.step") >= 7, TIMEOUT);
            assertThat(running.getLong("estimated_finish")).as("from the measured step times")
                    .isGreaterThanOrEqualTo(java.time.Instant.now().getEpochSecond() - 1);

            Response cancel = Teams.post(team, "/v1/fine_tuning/jobs/" + jobId + "/cancel", null);
            assertThat(cancel.statusCode()).as(cancel.asString()).isEqualTo(200);
            assertThat(cancel.jsonPath().getString("status")).isIn("running", "cancelled");
            JsonPath job = Jobs.await(team, jobId, Jobs.ended(), TIMEOUT);
            assertThat(job.getString("status")).isEqualTo("cancelled");
            assertThat(job.getString("fine_tuned_model")).isNull();
            int stoppedAt = job.getInt("progress.step");
            assertThat(stoppedAt).isLessThan(job.getInt("progress.total_steps"));

            List<Map<String, Object>> events = events(team, jobId);
            Map<String, Object> cancelled = events.stream().filter(e -> ((String) e.get("message")).startsWith("Job cancelled at step"))
                    .findFirst().orElseThrow();
            assertThat(cancelled.get("message")).isEqualTo("Job cancelled at step " + stoppedAt + "; its last checkpoint is kept");
            @SuppressWarnings("unchecked")
            Map<String, Object> data = (Map<String, Object>) cancelled.get("data");
            assertThat(data.get("stopped_at_step")).as("the run ends at the step boundary where the worker read the cancel")
                    .isEqualTo(data.get("request_seen_at_step"));
            List<Integer> checkpointSteps = Teams.get(team, "/v1/fine_tuning/jobs/" + jobId + "/checkpoints").jsonPath()
                    .getList("data.step_number", Integer.class);
            assertThat(checkpointSteps).isNotEmpty().allSatisfy(step -> assertThat(step).isLessThanOrEqualTo(stoppedAt));
            assertThat(checkpointSteps.get(0)).isGreaterThanOrEqualTo(5);

            log.await(jobId, e -> e instanceof JobCancelled, TIMEOUT);
            for (String move : List.of("cancel", "pause", "resume")) {
                Response again = Teams.post(team, "/v1/fine_tuning/jobs/" + jobId + "/" + move, null);
                assertThat(again.statusCode()).as(move).isEqualTo(409);
                assertThat(again.jsonPath().getString("error.message")).contains("is cancelled");
            }
        }
    }

    @Test
    void pauseCheckpointsAndFreesTheWorkerAndResumeContinuesToTheSameAdapter() {
        TeamIdentity team = Teams.newTeam("pause");
        String dataset = TrainerFixtures.announceDataset(team.teamId(), 240, 8, 3);
        try (JobEventLog log = new JobEventLog(Topics.JOBS)) {
            String uninterrupted = Jobs.create(team, Jobs.body(dataset, 2, 40));
            JobSucceeded reference = (JobSucceeded) log.await(uninterrupted, e -> e instanceof JobSucceeded, TIMEOUT);

            String paused = Jobs.create(team, Jobs.body(dataset, 2, 40));
            Jobs.await(team, paused, job -> job.getInt("progress.step") >= 10, TIMEOUT);
            Response pause = Teams.post(team, "/v1/fine_tuning/jobs/" + paused + "/pause", null);
            assertThat(pause.statusCode()).as(pause.asString()).isEqualTo(200);
            JsonPath job = Jobs.await(team, paused, Jobs.status("paused"), TIMEOUT);
            int pausedAt = job.getInt("progress.step");
            assertThat(pausedAt).isBetween(10, job.getInt("progress.total_steps") - 1);
            assertThat(Teams.get(team, "/v1/fine_tuning/jobs/" + paused + "/checkpoints").jsonPath()
                    .getList("data.step_number", Integer.class)).as("pause writes a checkpoint").contains(pausedAt);
            assertThat(Teams.post(team, "/v1/fine_tuning/jobs/" + paused + "/pause", null).statusCode()).isEqualTo(409);

            Response resume = Teams.post(team, "/v1/fine_tuning/jobs/" + paused + "/resume", null);
            assertThat(resume.statusCode()).as(resume.asString()).isEqualTo(200);
            assertThat(resume.jsonPath().getString("status")).isIn("queued", "running", "succeeded");
            JobSucceeded resumed = (JobSucceeded) log.await(paused, e -> e instanceof JobSucceeded, TIMEOUT);
            assertThat(Jobs.folderHashes(resumed.adapterArtifactId()))
                    .as("a paused and resumed run trains the same adapter as one never stopped")
                    .isEqualTo(Jobs.folderHashes(reference.adapterArtifactId()));
            List<Integer> steps = events(team, paused).stream().filter(e -> "metrics".equals(e.get("type")))
                    .map(e -> ((Number) ((Map<?, ?>) e.get("data")).get("step")).intValue()).toList();
            assertThat(steps).as("each step's metrics once").doesNotHaveDuplicates()
                    .hasSize(Jobs.get(team, paused).getInt("progress.total_steps"));
        }
    }

    @Test
    void streamsEventsLiveUntilTheJobEndsAndResumesAfterTheLastEventId() throws Exception {
        TeamIdentity team = Teams.newTeam("stream");
        String dataset = TrainerFixtures.announceDataset(team.teamId(), 40, 8, 4);
        String jobId = Jobs.create(team, Jobs.body(dataset, 2, 5));
        String path = "/v1/fine_tuning/jobs/" + jobId + "/events";

        List<String[]> live = stream(team, path, "?stream=true", null, "application/json");
        assertThat(live.get(live.size() - 1)[1]).isEqualTo("[DONE]");
        List<String> streamedIds = live.stream().filter(e -> e[0] != null).map(e -> e[0]).toList();
        List<String> listedIds = new ArrayList<>(events(team, jobId).stream().map(e -> (String) e.get("id")).toList());
        java.util.Collections.reverse(listedIds);
        assertThat(streamedIds).as("the stream sends every event once, oldest first").isEqualTo(listedIds);
        assertThat(live.stream().filter(e -> e[0] != null).map(e -> e[1]))
                .anyMatch(json -> json.contains("\"type\":\"metrics\""))
                .anyMatch(json -> json.contains("The job has successfully completed"));

        String middle = streamedIds.get(streamedIds.size() / 2);
        List<String[]> rest = stream(team, path, "", middle, "text/event-stream");
        assertThat(rest.stream().filter(e -> e[0] != null).map(e -> e[0]).toList())
                .isEqualTo(streamedIds.subList(streamedIds.size() / 2 + 1, streamedIds.size()));
        assertThat(rest.get(rest.size() - 1)[1]).isEqualTo("[DONE]");
    }

    @Test
    void anotherTeamSeesNoneOfItAndIllegalMovesAnswer409WithTheStatus() {
        TeamIdentity owner = Teams.newTeam("owner");
        TeamIdentity other = Teams.newTeam("other");
        String dataset = TrainerFixtures.announceDataset(owner.teamId(), 24, 8, 5);
        String jobId = Jobs.create(owner, Jobs.body(dataset, 1, 3));
        JsonPath done = Jobs.await(owner, jobId, Jobs.ended(), TIMEOUT);
        assertThat(done.getString("status")).isEqualTo("succeeded");
        String checkpoint = Teams.get(owner, "/v1/fine_tuning/jobs/" + jobId + "/checkpoints").jsonPath().getString("data[0].id");

        String job = "/v1/fine_tuning/jobs/" + jobId;
        for (String path : List.of(job, job + "/events", job + "/events?stream=true", job + "/checkpoints",
                job + "/checkpoints/" + checkpoint + "/content")) {
            Response response = Teams.get(other, path);
            assertThat(response.statusCode()).as(path).isEqualTo(404);
        }
        for (String move : List.of("cancel", "pause", "resume")) {
            assertThat(Teams.post(other, job + "/" + move, null).statusCode()).as(move).isEqualTo(404);
        }
        assertThat(Teams.get(other, "/v1/fine_tuning/jobs").jsonPath().getList("data")).isEmpty();

        Response pause = Teams.post(owner, job + "/pause", null);
        assertThat(pause.statusCode()).isEqualTo(409);
        assertThat(pause.jsonPath().getString("error.code")).isEqualTo("invalid_job_status");
        assertThat(pause.jsonPath().getString("error.message")).contains("is succeeded");
        assertThat(Teams.post(owner, job + "/resume", null).statusCode()).isEqualTo(409);

        Response listed = Teams.get(owner, "/v1/fine_tuning/jobs?limit=1");
        assertThat(listed.jsonPath().getString("object")).isEqualTo("list");
        assertThat(listed.jsonPath().getString("data[0].id")).isEqualTo(jobId);
    }

    /** Every event of the job, newest first, page by page as OpenAI's SDKs walk them. */
    static List<Map<String, Object>> events(TeamIdentity team, String jobId) {
        List<Map<String, Object>> all = new ArrayList<>();
        String after = null;
        while (true) {
            JsonPath page = Teams.get(team, "/v1/fine_tuning/jobs/" + jobId + "/events?limit=100"
                    + (after == null ? "" : "&after=" + after)).jsonPath();
            List<Map<String, Object>> data = page.getList("data");
            all.addAll(data);
            if (!page.getBoolean("has_more")) {
                return all;
            }
            after = (String) data.get(data.size() - 1).get("id");
        }
    }

    /** Reads a Server-Sent Events answer to its end: each event as {id, data}. */
    private List<String[]> stream(TeamIdentity team, String path, String query, String lastEventId, String accept)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + path + query))
                .timeout(TIMEOUT)
                .header(IdentitySigner.HEADER, TeamRequests.sign(team, "GET", path + query))
                .header("Accept", accept);
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(request.build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<String[]> events = new ArrayList<>();
        String[] current = {null, null};
        for (String line : (Iterable<String>) response.body()::iterator) {
            if (line.startsWith("id:")) {
                current[0] = line.substring(3).trim();
            } else if (line.startsWith("data:")) {
                current[1] = line.substring(5).trim();
            } else if (line.isEmpty() && current[1] != null) {
                events.add(current);
                current = new String[] {null, null};
            }
        }
        return events;
    }
}
