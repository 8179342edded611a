package dev.tunewright.trainer.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tunewright.common.identity.TeamIdentity;
import dev.tunewright.contracts.EventJson;
import dev.tunewright.contracts.Topics;
import dev.tunewright.contracts.job.JobCreated;
import dev.tunewright.contracts.job.JobEvent;
import dev.tunewright.contracts.job.JobStarted;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Kafka trigger is only a wake-up: a job that trains longer than the trigger consumer's max.poll.interval.ms
 * neither rebalances its group nor runs twice, and a redelivered or repeated {@code job.created} starts nothing.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(TrainerTestResource.class)
class TriggerIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(4);

    @Test
    void aJobTrainingLongerThanThePollIntervalRunsOnceAndARedeliveredTriggerStartsNothing() {
        TeamIdentity team = Teams.newTeam("trigger");
        String dataset = TrainerFixtures.announceDataset(team.teamId(), 2000, 8, 21);
        try (JobEventLog log = new JobEventLog(Topics.JOBS)) {
            double assignmentsBefore = metric("tunewright_trainer_trigger_assignments_total");
            String jobId = Jobs.create(team, Jobs.body(dataset, 3, 500));
            JobCreated created = (JobCreated) log.await(jobId, e -> e instanceof JobCreated, TIMEOUT);
            JobStarted started = (JobStarted) log.await(jobId, e -> e instanceof JobStarted, TIMEOUT);
            Duration outlast = Duration.ofMillis(2L * TrainerTestResource.MAX_POLL_INTERVAL_MS);
            Jobs.await(team, jobId, job -> Instant.now().isAfter(started.occurredAt().plus(outlast))
                    && job.getInt("progress.step") > 0, TIMEOUT);
            assertThat(Jobs.get(team, jobId).getString("status")).as("still training after twice the poll interval")
                    .isEqualTo("running");
            assertThat(metric("tunewright_trainer_trigger_assignments_total")).as("no rebalance of the trigger group")
                    .isEqualTo(assignmentsBefore);
            assertThat(Teams.post(team, "/v1/fine_tuning/jobs/" + jobId + "/cancel", null).statusCode()).isEqualTo(200);
            Jobs.await(team, jobId, Jobs.ended(), TIMEOUT);
            assertThat(log.of(jobId).stream().filter(e -> e instanceof JobStarted)).hasSize(1);

            double triggersBefore = metric("tunewright_trainer_triggers_total");
            TrainerFixtures.publish(Topics.JOBS, jobId, EventJson.write(created));
            TrainerFixtures.publish(Topics.JOBS, jobId, EventJson.write(JobCreated.of(team.teamId(), jobId,
                    created.baseModel(), created.trainDatasetId(), created.hyperparameters())));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (metric("tunewright_trainer_triggers_total") < triggersBefore + 2 && System.nanoTime() < deadline) {
                Jobs.pause(100);
            }
            assertThat(metric("tunewright_trainer_triggers_total")).isEqualTo(triggersBefore + 2);
            Instant woken = Instant.now();
            Jobs.pause(1500);
            log.poll(Duration.ofSeconds(1));
            List<JobEvent> after = log.of(jobId).stream().filter(e -> e.occurredAt().isAfter(woken)).toList();
            assertThat(after).as("nothing was created or run again").isEmpty();
            JsonPath job = Jobs.get(team, jobId);
            assertThat(job.getString("status")).isEqualTo("cancelled");
            assertThat(Teams.get(team, "/v1/fine_tuning/jobs").jsonPath().getList("data")).hasSize(1);
            assertThat(metric("tunewright_trainer_queue_depth")).isZero();
        }
    }

    /** A value of the service's Prometheus metrics (summed over the series of the name). */
    static double metric(String name) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? ([0-9.eE+-]+)$").matcher(text);
        double sum = 0;
        boolean found = false;
        while (m.find()) {
            sum += Double.parseDouble(m.group(2));
            found = true;
        }
        assertThat(found).as("metric %s in %s", name, text.length() > 2000 ? text.substring(0, 2000) : text).isTrue();
        return sum;
    }

}
