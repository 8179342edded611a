package dev.tunewright.registry.it;

import static dev.tunewright.registry.it.RegistryTesting.as;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tunewright.common.identity.TeamIdentity;
import dev.tunewright.contracts.evaluation.Verdict;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promotion gate on the packaged service: production refuses a version without an evaluation or without an
 * improvement unless forced with a reason (and then audits it), and blocks one the serving stack cannot load (rank 32
 * under the default limit, modules_to_save) even when forced. Other aliases move freely.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(RegistryTestResource.class)
class PromotionGateIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    /** Registers one job as version 1 of {@code name} and waits for its readiness check to finish. */
    private static String register(TeamIdentity team, String name, String artifactId) {
        String jobId = "ftjob-" + UUID.randomUUID();
        RegistryTesting.publish(RegistryTesting.succeeded(team, jobId, name, artifactId,
                RegistryTesting.lineage("ds-1", "d".repeat(64), "e".repeat(64), 1)));
        String version = "/v1/adapters/" + name + "/versions/1";
        RegistryTesting.await(name + " checked", () -> {
            var response = as(team).get(version);
            return response.statusCode() == 200 && !"pending".equals(response.path("readiness.status"));
        });
        return jobId;
    }

    private static io.restassured.response.ValidatableResponse promote(TeamIdentity team, String name, String alias,
            Map<String, ?> body) {
        String path = "/v1/adapters/" + name + "/aliases/" + alias;
        return as(team).contentType("application/json").body(body).put(path).then();
    }

    @Test
    void withoutAnEvaluationOrWithoutImprovementProductionIsRefusedUnlessForcedAndAudited() throws IOException {
        TeamIdentity team = RegistryTesting.newTeam("initech");
        String jobId = register(team, "router", RegistryTesting.adapter(work, 4, List.of("q_proj"), 5).artifactId());

        promote(team, "router", "production", Map.of("version", 1)).statusCode(409)
                .body("error.code", equalTo("promotion_refused"))
                .body("error.message", containsString("version 1 has no evaluation of its final adapter"));
        promote(team, "router", "staging", Map.of("version", 1)).statusCode(200).body("version", equalTo(1));

        RegistryTesting.publish(RegistryTesting.evaluation(team, jobId, null, Verdict.NO_SIGNIFICANT_IMPROVEMENT, 0.41));
        String version = "/v1/adapters/router/versions/1";
        RegistryTesting.await("the evaluation recorded",
                () -> Verdict.NO_SIGNIFICANT_IMPROVEMENT.equals(as(team).get(version).path("evaluation.verdict")));
        promote(team, "router", "production", Map.of("version", 1)).statusCode(409)
                .body("error.message", containsString("says no_significant_improvement over the base, not improved"));

        promote(team, "router", "production", Map.of("version", 1, "force", true, "reason", "pilot for the ops team"))
                .statusCode(200).body("version", equalTo(1)).body("move.forced", equalTo(true))
                .body("move.reason", equalTo("pilot for the ops team"))
                .body("move.overridden[0]", containsString("no_significant_improvement"));
        String alias = "/v1/adapters/router/aliases/production";
        as(team).get(alias).then().statusCode(200).body("history[0].forced", equalTo(true))
                .body("history[0].moved_by.team_name", equalTo("initech"));
    }

    @Test
    void aRank32AdapterIsBlockedUnderTheDefaultLimitEvenWhenForced() throws IOException {
        TeamIdentity team = RegistryTesting.newTeam("hooli");
        String jobId = register(team, "wide", RegistryTesting.adapter(work, 32, List.of("q_proj"), 6).artifactId());
        RegistryTesting.publish(RegistryTesting.evaluation(team, jobId, null, Verdict.IMPROVED, 0.9));
        String version = "/v1/adapters/wide/versions/1";
        RegistryTesting.await("evaluated", () -> as(team).get(version).path("evaluation") != null);

        as(team).get(version).then().body("readiness.status", equalTo("failed"))
                .body("readiness.checks.find { it.check == 'rank' }.reason",
                        containsString("LoRA rank 32 is greater than max_lora_rank 16"));
        promote(team, "wide", "production", Map.of("version", 1, "force", true, "reason", "we know better"))
                .statusCode(409).body("error.code", equalTo("promotion_blocked"))
                .body("error.message", allOf(containsString("serving-readiness"), containsString("max_lora_rank 16")));
        String alias = "/v1/adapters/wide/aliases/production";
        as(team).get(alias).then().statusCode(404);
    }

    @Test
    void anAdapterWithModulesToSaveIsBlocked() throws IOException {
        TeamIdentity team = RegistryTesting.newTeam("umbrella");
        RegistryTesting.TrainedAdapter adapter = RegistryTesting.adapter(work, 4, List.of("q_proj"), 7);
        Path config = adapter.dir().resolve("adapter_config.json");
        ObjectNode json = (ObjectNode) JSON.readTree(config.toFile());
        json.putArray("modules_to_save").add("lm_head");
        JSON.writeValue(config.toFile(), json);
        String jobId = register(team, "saver", RegistryTesting.store(adapter.dir()));
        RegistryTesting.publish(RegistryTesting.evaluation(team, jobId, null, Verdict.IMPROVED, 0.9));

        String version = "/v1/adapters/saver/versions/1";
        as(team).get(version).then().body("readiness.status", equalTo("failed"))
                .body("readiness.checks.findAll { !it.passed }.check", hasItem("modules_to_save"))
                .body("readiness.checks.findAll { !it.passed }.check", not(hasItem("rank")));
        promote(team, "saver", "production", Map.of("version", 1)).statusCode(409)
                .body("error.code", equalTo("promotion_blocked"))
                .body("error.message", containsString("vLLM only supports modules_to_save being None"));
    }
}
