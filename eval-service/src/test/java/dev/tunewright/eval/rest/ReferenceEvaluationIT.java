package dev.tunewright.eval.rest;

import static dev.tunewright.eval.testing.EvalCalls.as;
import static dev.tunewright.eval.testing.EvalCalls.awaitDone;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tunewright.common.identity.TeamIdentity;
import dev.tunewright.contracts.evaluation.Verdict;
import dev.tunewright.eval.testing.EvalCalls;
import dev.tunewright.eval.testing.EvalTestResource;
import dev.tunewright.eval.testing.TestGateway;
import dev.tunewright.eval.testing.TinyJobs;
import dev.tunewright.testing.Infrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An evaluation with a reference model behind a real OpenAI-compatible endpoint: the platform's own
 * {@code /v1/chat/completions}, reached as a client would reach it (an API key through the gateway's stand-in),
 * serving another model. The reference here is the fine-tuned adapter merged into the base, so it knows the task
 * as well as the fine-tune: the fine-tune beats the base but not the reference.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(EvalTestResource.class)
class ReferenceEvaluationIT {

    static TinyJobs tiny;
    static TeamIdentity team;
    static String jobId;
    static TestGateway gateway;
    static final String KEY = "sk-tw-" + UUID.randomUUID();

    /** Once per class, in the first test: RestAssured knows the service's port only once a test runs. */
    @BeforeEach
    void aTeamWithAFineTunedJob() throws Exception {
        if (gateway != null) {
            return;
        }
        tiny = TinyJobs.get();
        team = EvalCalls.newTeam("acme");
        jobId = "ftjob-" + UUID.randomUUID();
        EvalCalls.publish(EvalCalls.succeeded(team, jobId, tiny.improved, tiny, Map.of("enabled", false)));
        gateway = new TestGateway(URI.create("http://localhost:" + RestAssured.port)).key(KEY, team);
        EvalCalls.awaitFineTuned(team, EvalCalls.fineTunedId(team, jobId), Duration.ofMinutes(2));
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    @Test
    void theFineTuneIsComparedWithAReferenceServedByThePlatformAndItsKeyNeverShows() throws Exception {
        String id = create(Map.of("base_url", gateway.openAiBaseUrl(), "model", TinyJobs.REFERENCE, "api_key", KEY));
        JsonPath done = awaitDone(team, id, EvaluationFlowIT.WAIT);
        assertThat(done.getString("status")).as(done.prettify()).isEqualTo("succeeded");
        System.out.printf("reference: base %.3f, fine-tuned %.3f, reference %.3f; vs reference %s %.3f [%.3f, %.3f]%n",
                done.getDouble("models.base.metrics.accuracy"), done.getDouble("models.fine_tuned.metrics.accuracy"),
                done.getDouble("models.reference.metrics.accuracy"), done.getString("reference_verdict.result"),
                done.getDouble("reference_verdict.difference"), done.getDouble("reference_verdict.low"),
                done.getDouble("reference_verdict.high"));
        assertThat(done.getString("models.reference.model")).isEqualTo(TinyJobs.REFERENCE);
        assertThat(done.getDouble("models.reference.metrics.accuracy")).isGreaterThanOrEqualTo(0.85);
        assertThat(done.getString("verdict.result")).isEqualTo(Verdict.IMPROVED);
        assertThat(done.getString("reference_verdict.result")).isEqualTo(Verdict.NO_SIGNIFICANT_IMPROVEMENT);
        assertThat(done.getString("reference_verdict.against")).isEqualTo("reference");
        // the reference's cost comes from the usage its endpoint reported, times the prices given
        List<Map<String, Object>> cost = done.getList("cost.rows");
        assertThat(cost).hasSize(3);
        assertThat(done.getDouble("cost.rows[2].input_tokens_per_item")).isGreaterThan(5);
        assertThat(done.getDouble("cost.rows[2].cost_per_million_items"))
                .isEqualTo(done.getDouble("cost.rows[2].input_tokens_per_item") * 2.0
                        + done.getDouble("cost.rows[2].output_tokens_per_item") * 8.0, org.assertj.core.api.Assertions.within(1e-3));
        assertThat(done.getDouble("cost.prices.device_hour")).isEqualTo(3.5);
        assertThat(done.getBoolean("options.reference.api_key_set")).isTrue();
        String examples = EvalCalls.get(team, "/v1/evaluations/" + id + "/examples").asString();
        assertThat(examples).contains("\"reference\"");
        // the key: not in any answer, not in the database in clear, not in the service's log
        assertThat(EvalCalls.get(team, "/v1/evaluations/" + id).asString()).doesNotContain(KEY);
        assertThat(EvalCalls.get(team, "/v1/evaluations").asString()).doesNotContain(KEY);
        String stored = storedKey(id);
        assertThat(stored).startsWith("v1:").doesNotContain(KEY);
        Path log = Path.of("target", "quarkus.log");
        if (Files.isRegularFile(log)) {
            assertThat(Files.readString(log)).doesNotContain(KEY);
        }
    }

    @Test
    void aReferenceThatRefusesEveryCallIsLeftOutWithANote() {
        String id = create(Map.of("base_url", gateway.openAiBaseUrl(), "model", TinyJobs.REFERENCE, "api_key", "sk-wrong"));
        JsonPath done = awaitDone(team, id, EvaluationFlowIT.WAIT);
        assertThat(done.getString("status")).isEqualTo("succeeded");
        assertThat(done.getMap("models")).doesNotContainKey("reference");
        assertThat(done.getString("reference_verdict")).isNull();
        assertThat(done.getList("notes", String.class)).anySatisfy(note -> assertThat(note)
                .contains("reference endpoint failed for 24 of 24").contains("401").contains("invalid API key"));
    }

    private static String create(Map<String, Object> reference) {
        return as(team).contentType("application/json")
                .body(Map.of("job_id", jobId, "max_examples", 24, "reference", reference,
                        "prices", Map.of("device_hour", 3.5, "reference_input_per_million", 2.0,
                                "reference_output_per_million", 8.0)))
                .post("/v1/evaluations").then().statusCode(201).extract().path("id");
    }

    private static String storedKey(String id) throws Exception {
        Infrastructure infrastructure = Infrastructure.get();
        try (Connection db = DriverManager.getConnection(infrastructure.jdbcUrl(), infrastructure.username(),
                infrastructure.password());
             PreparedStatement query = db.prepareStatement("select reference_key from eval.evaluation where id = ?")) {
            query.setString(1, id);
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).isTrue();
                return row.getString(1);
            }
        }
    }
}
