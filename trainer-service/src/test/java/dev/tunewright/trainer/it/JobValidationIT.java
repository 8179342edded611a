package dev.tunewright.trainer.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunewright.common.identity.TeamIdentity;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import dev.tunewright.testing.TeamRequests;
import io.restassured.response.Response;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Bad requests answer 400 (or 404) naming the field at fault, and leave no job behind. */
@QuarkusIntegrationTest
@QuarkusTestResource(TrainerTestResource.class)
class JobValidationIT {

    @Test
    void everyBadFieldIsNamedAndNothingIsQueued() {
        TeamIdentity team = Teams.newTeam("careless");
        String dataset = TrainerFixtures.announceDataset(team.teamId(), 24, 8, 31);

        assertRejected(team, dataset, body -> body.put("model", "no-such-model"), 400, "model", "model_not_found");
        assertRejected(team, dataset, body -> body.put("model", "/etc"), 400, "model", "model_not_found");
        assertRejected(team, dataset, body -> body.put("method", Map.of("type", "supervised", "supervised",
                Map.of("hyperparameters", Map.of("n_epochs", 1000)))), 400,
                "method.supervised.hyperparameters.n_epochs", "invalid_value");
        assertRejected(team, dataset, body -> body.put("method", Map.of("type", "supervised", "supervised",
                Map.of("hyperparameters", Map.of("learning_rate_multiplier", -1)))), 400,
                "method.supervised.hyperparameters.learning_rate_multiplier", "invalid_value");
        assertRejected(team, dataset, body -> body.put("method", Map.of("type", "dpo")), 400, "method.type",
                "unsupported_method");
        assertRejected(team, dataset, body -> body.put("lora", Map.of("r", 100000)), 400, "lora.r", "invalid_value");
        Map<String, String> metadata = new LinkedHashMap<>();
        for (int i = 0; i < 17; i++) {
            metadata.put("key" + i, "value");
        }
        assertRejected(team, dataset, body -> body.put("metadata", metadata), 400, "metadata", "invalid_value");
        assertRejected(team, dataset, body -> body.put("metadata", Map.of("k", "v".repeat(513))), 400, "metadata",
                "invalid_value");
        assertRejected(team, dataset, body -> body.put("training_file", "not-an-id"), 400, "training_file", "invalid_value");
        assertRejected(team, dataset, body -> body.put("suffix", "x".repeat(65)), 400, "suffix", "invalid_value");
        assertRejected(team, dataset, body -> body.put("epochs", 3), 400, "epochs", "unknown_parameter");

        Response notJson = TeamRequests.as(team).contentType("application/json").body("{\"model\": ").post("/v1/fine_tuning/jobs");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.jsonPath().getString("error.code")).isEqualTo("invalid_json");

        assertThat(Teams.get(team, "/v1/fine_tuning/jobs").jsonPath().getList("data")).as("nothing was created").isEmpty();
        Response badLimit = Teams.get(team, "/v1/fine_tuning/jobs?limit=1000");
        assertThat(badLimit.statusCode()).isEqualTo(400);
        assertThat(badLimit.jsonPath().getString("error.param")).isEqualTo("limit");
        Response badCursor = Teams.get(team, "/v1/fine_tuning/jobs?after=ftjob-000000000000000000000000");
        assertThat(badCursor.jsonPath().getString("error.param")).isEqualTo("after");
        assertThat(Teams.get(team, "/v1/fine_tuning/jobs/ftjob-000000000000000000000000").statusCode()).isEqualTo(404);
    }

    @Test
    void autoSettingsAreShownUntilTheDatasetDecidesThemThenStored() {
        TeamIdentity team = Teams.newTeam("auto");
        String dataset = TrainerFixtures.announceDataset(team.teamId(), 40, 8, 32);
        Map<String, Object> body = new HashMap<>(Map.of("model", TrainerFixtures.MODEL, "training_file", dataset,
                "lora", Map.of("r", 4, "target_modules", List.of("q_proj"))));
        Response created = Teams.createJob(team, body);
        assertThat(created.statusCode()).as(created.asString()).isEqualTo(200);
        assertThat(created.jsonPath().getString("status")).isEqualTo("queued");
        assertThat(created.jsonPath().getInt("hyperparameters.n_epochs")).as("100 examples over 40 rows").isEqualTo(3);
        assertThat(created.jsonPath().getInt("hyperparameters.batch_size")).isEqualTo(1);
        assertThat(created.jsonPath().getDouble("hyperparameters.learning_rate_multiplier")).isEqualTo(1.0);
        assertThat(created.jsonPath().getInt("lora.save_every")).isEqualTo(12);
        assertThat(created.jsonPath().getDouble("lora.learning_rate")).isEqualTo(2e-4);
        assertThat(created.jsonPath().getLong("seed")).as("a seed is drawn and returned").isNotNull();
        assertThat(created.jsonPath().getList("integrations")).isEmpty();
        Teams.post(team, "/v1/fine_tuning/jobs/" + created.jsonPath().getString("id") + "/cancel", null);
    }

    private static void assertRejected(TeamIdentity team, String dataset, Consumer<Map<String, Object>> change, int status,
            String param, String code) {
        Map<String, Object> body = Jobs.body(dataset, 1, 3);
        change.accept(body);
        Response response = Teams.createJob(team, body);
        assertThat(response.statusCode()).as("%s: %s", param, response.asString()).isEqualTo(status);
        assertThat(response.jsonPath().getString("error.param")).as(response.asString()).isEqualTo(param);
        assertThat(response.jsonPath().getString("error.code")).as(response.asString()).isEqualTo(code);
        assertThat(response.jsonPath().getString("error.message")).isNotBlank();
    }
}
