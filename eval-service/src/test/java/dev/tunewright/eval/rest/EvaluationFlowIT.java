package dev.tunewright.eval.rest;

import static dev.tunewright.eval.testing.EvalCalls.as;
import static dev.tunewright.eval.testing.EvalCalls.awaitDone;
import static dev.tunewright.eval.testing.EvalCalls.awaitEvaluationsOf;
import static dev.tunewright.eval.testing.EvalCalls.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.tunewright.common.identity.TeamIdentity;
import dev.tunewright.contracts.EventJson;
import dev.tunewright.contracts.Topics;
import dev.tunewright.contracts.evaluation.EvaluationCompleted;
import dev.tunewright.contracts.evaluation.EvaluationEvent;
import dev.tunewright.contracts.evaluation.Verdict;
import dev.tunewright.contracts.job.CheckpointSaved;
import dev.tunewright.contracts.job.JobSucceeded;
import dev.tunewright.eval.testing.EvalCalls;
import dev.tunewright.eval.testing.EvalTestResource;
import dev.tunewright.eval.testing.HeadlessBrowser;
import dev.tunewright.eval.testing.TinyJobs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The evaluation flow on the real stack, against the packaged service ({@code quarkus-run.jar} as its own process):
 * a {@code job.succeeded} event in, an evaluation from the work queue, the verdict over the API and as
 * {@code evaluation.completed}, every output kept, the report drawn by a real browser. The jobs are tiny models
 * fine-tuned in this JVM by the engine ({@link TinyJobs}): on the keyword task the base answers at chance and the
 * fine-tuned model well; trained on shuffled labels, the fine-tune is no better than the base.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(EvalTestResource.class)
class EvaluationFlowIT {

    static final Duration WAIT = Duration.ofMinutes(4);
    static TinyJobs tiny;

    @BeforeAll
    static void trainTheJobs() {
        tiny = TinyJobs.get();
    }

    /** The real-labels job's evaluation, run once for the tests that look at it. */
    record Evaluated(TeamIdentity team, String jobId, String id, JsonPath done, String completedEvent) {
    }

    private static Evaluated improved;

    static synchronized Evaluated improved() {
        if (improved == null) {
            TeamIdentity team = EvalCalls.newTeam("acme");
            String jobId = "ftjob-" + UUID.randomUUID();
            JobSucceeded event = EvalCalls.succeeded(team, jobId, tiny.improved, tiny, Map.of());
            try (KafkaConsumer<String, String> evaluations = EvalCalls.consumer(Topics.EVALUATIONS)) {
                // delivered twice (same event id), and announced a second time with a new id: evaluated once
                String payload = EventJson.write(event);
                EvalCalls.publish(List.of(payload, payload), jobId);
                EvalCalls.publish(EvalCalls.succeeded(team, jobId, tiny.improved, tiny, Map.of()));
                String id = (String) awaitEvaluationsOf(team, jobId, 1, WAIT).get(0).get("id");
                JsonPath done = awaitDone(team, id, WAIT);
                String completed = done.getString("status").equals("succeeded")
                        ? EvalCalls.awaitRecord(evaluations, json -> json.contains(id), WAIT) : null;
                improved = new Evaluated(team, jobId, id, done, completed);
            }
        }
        return improved;
    }

    @Test
    void aSucceededJobIsEvaluatedOnceAndTheFineTuneWins() {
        Evaluated e = improved();
        JsonPath done = e.done();
        assertThat(done.getString("status")).as(done.prettify()).isEqualTo("succeeded");
        double base = done.getDouble("models.base.metrics.accuracy");
        double tuned = done.getDouble("models.fine_tuned.metrics.accuracy");
        System.out.printf("keyword task, real labels: base accuracy %.3f, fine-tuned %.3f, verdict %s, difference %.3f"
                        + " [%.3f, %.3f]%n", base, tuned, done.getString("verdict.result"),
                done.getDouble("verdict.difference"), done.getDouble("verdict.low"), done.getDouble("verdict.high"));
        assertThat(done.getString("task_type")).isEqualTo("classification");
        assertThat(done.getString("primary_metric")).isEqualTo("accuracy");
        assertThat(done.getInt("examples")).isEqualTo(tiny.validationRows);
        assertThat(base).as("the base answers at chance").isBetween(0.2, 0.5);
        assertThat(tuned).as("the fine-tune learned the keywords").isGreaterThanOrEqualTo(0.85);
        assertThat(done.getString("verdict.result")).isEqualTo(Verdict.IMPROVED);
        assertThat(done.getDouble("verdict.low")).isPositive();
        assertThat(done.getString("fine_tuned_model")).isEqualTo(EvalCalls.fineTunedId(e.team(), e.jobId()));
        for (String role : List.of("base", "fine_tuned")) {
            Map<String, Float> metrics = done.getMap("models." + role + ".metrics");
            assertThat(metrics).containsKeys("macro_f1", "stop_rate", "output_tokens_p95", "latency_ms_p50",
                    "latency_ms_p95", "tokens_per_second", "loss", "perplexity");
            assertThat(metrics.get("stop_rate")).as("both answer and end their turn").isEqualTo(1.0f);
            assertThat(done.getList("models." + role + ".intervals.accuracy")).hasSize(2);
        }
        assertThat(done.getDouble("models.fine_tuned.metrics.loss")).isLessThan(done.getDouble("models.base.metrics.loss"));
        assertThat(done.getList("classification.labels")).containsExactly("blue", "green", "red");
        assertThat(done.getList("cost.rows")).hasSize(2);
        assertThat(done.getDouble("cost.rows[1].cost_per_million_items")).isPositive();

        EvaluationCompleted completed = (EvaluationCompleted) EventJson.read(e.completedEvent(), EvaluationEvent.class);
        assertThat(completed.verdict()).isEqualTo(Verdict.IMPROVED);
        assertThat(completed.jobId()).isEqualTo(e.jobId());
        assertThat(completed.tunedMetrics().get("accuracy")).isEqualTo(tuned);
        assertThat(completed.differenceLow()).isPositive();

        // nothing evaluated twice: the job has exactly this one evaluation
        assertThat(awaitEvaluationsOf(e.team(), e.jobId(), 1, WAIT)).hasSize(1);
        examplesArePagedAndEveryOutputIsKept(e.team(), e.id());
        anotherTeamSeesNothing(e.id(), e.jobId());
    }

    @Test
    void theReportIsOneOfflinePageWhoseChartsAllDrawInABrowser() throws Exception {
        Evaluated e = improved();
        Response report = get(e.team(), "/v1/evaluations/" + e.id() + "/report.html");
        report.then().statusCode(200).contentType(containsString("text/html"))
                .header("Content-Security-Policy", containsString("default-src 'none'"));
        String html = report.asString();
        assertThat(html).contains("Fine-tuned against base: improved").contains("id=\"chart-loss\"")
                .doesNotContain("<script src").doesNotContain("<link").doesNotContain("src=\"http")
                .doesNotContain("url(http");
        List<String> charts = chartIds(html);
        assertThat(charts).containsExactly("chart-loss", "chart-metrics", "chart-confusion-base",
                "chart-confusion-fine_tuned", "chart-latency");
        Path dir = Path.of("target", "eval-reports");
        Files.createDirectories(dir);
        Path page = Files.writeString(dir.resolve("report-improved.html"), html, StandardCharsets.UTF_8);
        var browser = HeadlessBrowser.find();
        Assumptions.assumeTrue(browser.isPresent(), "report browser check skipped: no chromium on this machine "
                + "(.ci/run installs Debian's chromium where it can; set CHROMIUM to a browser to run it)");
        String dom = browser.get().dumpDom(page);
        Matcher drawn = Pattern.compile("data-charts=\"(\\d+)\"").matcher(dom);
        assertThat(drawn.find()).as("the report's script ran to its end").isTrue();
        assertThat(Integer.parseInt(drawn.group(1))).isEqualTo(charts.size());
        for (String chart : charts) {
            int at = dom.indexOf("id=\"" + chart + "\"");
            assertThat(at).as(chart).isPositive();
            int end = dom.length();
            for (String boundary : List.of("class=\"chart\"", "<h2", "<script", "<table")) {
                int next = dom.indexOf(boundary, at + chart.length() + 20);
                if (next > 0) {
                    end = Math.min(end, next);
                }
            }
            assertThat(dom.substring(at, end)).as(chart + " drew as SVG").contains("<svg").contains("<path");
        }
        browser.get().screenshot(page, dir.resolve("report-improved.png"), 3600);
    }

    @Test
    void aFineTuneOnShuffledLabelsIsNoSignificantImprovement() {
        TeamIdentity team = EvalCalls.newTeam("globex");
        String jobId = "ftjob-" + UUID.randomUUID();
        EvalCalls.publish(EvalCalls.succeeded(team, jobId, tiny.shuffled, tiny, Map.of()));
        String id = (String) awaitEvaluationsOf(team, jobId, 1, WAIT).get(0).get("id");
        JsonPath done = awaitDone(team, id, WAIT);
        assertThat(done.getString("status")).as(done.prettify()).isEqualTo("succeeded");
        double base = done.getDouble("models.base.metrics.accuracy");
        double tuned = done.getDouble("models.fine_tuned.metrics.accuracy");
        System.out.printf("keyword task, shuffled labels: base accuracy %.3f, fine-tuned %.3f, verdict %s, difference %.3f"
                        + " [%.3f, %.3f]%n", base, tuned, done.getString("verdict.result"), done.getDouble("verdict.difference"),
                done.getDouble("verdict.low"), done.getDouble("verdict.high"));
        assertThat(tuned).isBetween(0.2, 0.5);
        assertThat(done.getString("verdict.result")).isEqualTo(Verdict.NO_SIGNIFICANT_IMPROVEMENT);
        assertThat(done.getDouble("verdict.low")).isNegative();
    }

    @Test
    void checkpointsAreEvaluatedOnlyWhenTheJobAsks() {
        TeamIdentity team = EvalCalls.newTeam("initech");
        String jobId = "ftjob-" + UUID.randomUUID();
        var lineage = EvalCalls.succeeded(team, jobId, tiny.improved, tiny, Map.of()).lineage();
        EvalCalls.publish(CheckpointSaved.of(team.teamId(), jobId, 25, "ckpt-25", "ftckpt-25", tiny.improved.adapterArtifactId(),
                        Map.of("train_loss", 0.5), false, lineage),
                CheckpointSaved.of(team.teamId(), jobId, 50, "ckpt-50", "ftckpt-50", tiny.improved.adapterArtifactId(),
                        Map.of("train_loss", 0.2), true, lineage));
        List<Map<String, Object>> found = awaitEvaluationsOf(team, jobId, 1, WAIT);
        assertThat(found).hasSize(1);
        assertThat(found.get(0).get("checkpoint_step")).isEqualTo(50);
        assertThat(found.get(0).get("origin")).isEqualTo("checkpoint");
        JsonPath done = awaitDone(team, (String) found.get(0).get("id"), WAIT);
        assertThat(done.getString("verdict.result")).isEqualTo(Verdict.IMPROVED);
        assertThat(done.getString("fine_tuned_model")).as("a checkpoint is not a servable model").isNull();
    }

    @Test
    void aRequestedEvaluationRefusesBadFieldsByName() {
        TeamIdentity team = EvalCalls.newTeam("hooli");
        as(team).contentType("application/json").body(Map.of("job_id", "ftjob-none"))
                .post("/v1/evaluations").then().statusCode(404).body("error.param", equalTo("job_id"));
        as(team).contentType("application/json")
                .body(Map.of("job_id", "ftjob-none", "task", "classification"))
                .post("/v1/evaluations").then().statusCode(400).body("error.param", equalTo("task"))
                .body("error.code", equalTo("unknown_field"));
        get(team, "/v1/evaluations/eval-missing").then().statusCode(404).body("error.code", equalTo("not_found"));
    }

    private static void examplesArePagedAndEveryOutputIsKept(TeamIdentity team, String id) {
        String path = "/v1/evaluations/" + id + "/examples";
        JsonPath first = as(team).queryParam("limit", 50).get(path).then().statusCode(200).extract().jsonPath();
        assertThat(first.getList("data")).hasSize(50);
        assertThat(first.getBoolean("has_more")).isTrue();
        assertThat(first.getString("data[0].expected")).isIn("red", "green", "blue");
        assertThat(first.getString("data[0].input[0].role")).isEqualTo("user");
        assertThat(first.getMap("data[0].outputs")).containsKeys("base", "fine_tuned");
        assertThat(first.getMap("data[0].scores.fine_tuned")).containsKey("accuracy");
        int last = first.getInt("data[49].index");
        JsonPath rest = as(team).queryParam("after", last).queryParam("limit", 100).get(path).then()
                .statusCode(200).extract().jsonPath();
        assertThat(rest.getList("data")).hasSize(tiny.validationRows - 50);
        assertThat(rest.getInt("data[0].index")).isEqualTo(last + 1);
        List<Map<String, Object>> disagreements = as(team).queryParam("disagreements", true)
                .queryParam("limit", 100).get(path).then().statusCode(200).extract().jsonPath().getList("data");
        assertThat(disagreements).isNotEmpty().allSatisfy(e -> {
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Number>> scores = (Map<String, Map<String, Number>>) e.get("scores");
            assertThat(scores.get("base").get("accuracy").doubleValue())
                    .isNotEqualTo(scores.get("fine_tuned").get("accuracy").doubleValue());
        });
    }

    private static void anotherTeamSeesNothing(String id, String jobId) {
        TeamIdentity other = EvalCalls.newTeam("umbrella");
        get(other, "/v1/evaluations/" + id).then().statusCode(404);
        get(other, "/v1/evaluations/" + id + "/examples").then().statusCode(404);
        get(other, "/v1/evaluations/" + id + "/report.html").then().statusCode(404);
        get(other, "/v1/evaluations").then().statusCode(200).body("data.size()", equalTo(0));
        as(other).contentType("application/json").body(Map.of("job_id", jobId))
                .post("/v1/evaluations").then().statusCode(404);
    }

    private static List<String> chartIds(String html) {
        Matcher m = Pattern.compile("<div id=\"(chart-[a-z_-]+)\" class=\"chart\"").matcher(html);
        List<String> ids = new java.util.ArrayList<>();
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }
}
