package dev.tunewright.eval.rest;

import static dev.tunewright.eval.testing.EvalCalls.as;
import static dev.tunewright.eval.testing.EvalCalls.awaitDone;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tunewright.common.identity.TeamIdentity;
import dev.tunewright.eval.testing.EvalCalls;
import dev.tunewright.eval.testing.EvalTestResource;
import dev.tunewright.eval.testing.TinyJobs;
import dev.tunewright.testing.Infrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A worker that crashed mid-evaluation: its queue item is still leased to it, the lease expired, half of the base
 * model's outputs were stored. The service's worker takes the item over and finishes it, generating only what is
 * missing: the stored outputs stay as they were (one is marked so it can be recognised).
 */
@QuarkusIntegrationTest
@QuarkusTestResource(EvalTestResource.class)
class ResumeIT {

    static final int ROWS = 16;

    @Test
    void anEvaluationLeftByACrashedWorkerResumesWhereItStopped() throws Exception {
        TinyJobs tiny = TinyJobs.get();
        TeamIdentity team = EvalCalls.newTeam("acme");
        String jobId = "ftjob-" + UUID.randomUUID();
        EvalCalls.publish(EvalCalls.succeeded(team, jobId, tiny.improved, tiny, Map.of("enabled", false)));
        EvalCalls.awaitFineTuned(team, EvalCalls.fineTunedId(team, jobId), Duration.ofMinutes(2));
        String finished = as(team).contentType("application/json")
                .body(Map.of("job_id", jobId, "max_examples", ROWS)).post("/v1/evaluations").then().statusCode(201)
                .extract().path("id");
        assertThat(awaitDone(team, finished, EvaluationFlowIT.WAIT).getString("status")).isEqualTo("succeeded");

        // the state a worker leaves when it dies: running, half the base outputs, a lease that has expired
        String crashed = "eval-crashed" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection db = connect()) {
            update(db, "insert into eval.evaluation (id, team_id, origin, job_id, fine_tuned_model, base_model,"
                    + " adapter_artifact_id, split, split_artifact_id, result_file_artifact_id, max_seq_length, options,"
                    + " status, progress, created_at, started_at) select ?, team_id, 'request', job_id, fine_tuned_model,"
                    + " base_model, adapter_artifact_id, split, split_artifact_id, result_file_artifact_id, max_seq_length,"
                    + " options, 'running', '{}', now(), now() from eval.evaluation where id = ?", crashed, finished);
            update(db, "insert into eval.evaluation_example (evaluation_id, idx, source_line, messages, expected)"
                    + " select ?, idx, source_line, messages, expected from eval.evaluation_example where evaluation_id = ?",
                    crashed, finished);
            update(db, "insert into eval.evaluation_output (evaluation_id, idx, model, output, finish_reason,"
                    + " prompt_tokens, completion_tokens, latency_ms, batch_no, batch_size) select ?, idx, model,"
                    + " case when idx = 0 then 'written before the crash' else output end, finish_reason, prompt_tokens,"
                    + " completion_tokens, latency_ms, batch_no, batch_size from eval.evaluation_output"
                    + " where evaluation_id = ? and model = 'base' and idx < ?", crashed, finished, ROWS / 2);
            update(db, "insert into eval.work_item (id, kind, team_id, state, lease_owner, lease_token, lease_expires_at,"
                    + " attempts) values (?, 'evaluation', ?, 'leased', 'eval@crashed-host:1', gen_random_uuid(),"
                    + " now() - interval '1 second', 1)", crashed, team.teamId());
        }
        JsonPath done = awaitDone(team, crashed, EvaluationFlowIT.WAIT);
        assertThat(done.getString("status")).as(done.prettify()).isEqualTo("succeeded");
        try (Connection db = connect()) {
            assertThat(count(db, "select count(*) from eval.evaluation_output where evaluation_id = ?", crashed))
                    .isEqualTo(2 * ROWS);
            assertThat(text(db, "select output from eval.evaluation_output where evaluation_id = ? and idx = 0"
                    + " and model = 'base'", crashed)).as("kept, not generated again").isEqualTo("written before the crash");
            assertThat(count(db, "select count(*) from eval.work_item where id = ?", crashed)).isZero();
        }
    }

    private static Connection connect() throws SQLException {
        Infrastructure infrastructure = Infrastructure.get();
        return DriverManager.getConnection(infrastructure.jdbcUrl(), infrastructure.username(), infrastructure.password());
    }

    private static void update(Connection db, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            assertThat(statement.executeUpdate()).as(sql).isPositive();
        }
    }

    private static long count(Connection db, String sql, String id) throws SQLException {
        return Long.parseLong(text(db, sql, id));
    }

    private static String text(Connection db, String sql, String id) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setString(1, id);
            try (ResultSet row = statement.executeQuery()) {
                assertThat(row.next()).isTrue();
                return row.getString(1);
            }
        }
    }
}
