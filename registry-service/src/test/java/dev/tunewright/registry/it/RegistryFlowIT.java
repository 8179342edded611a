package dev.tunewright.registry.it;

import static dev.tunewright.registry.it.RegistryTesting.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.tunewright.common.identity.TeamIdentity;
import dev.tunewright.contracts.adapter.AdapterEvent;
import dev.tunewright.contracts.adapter.AdapterPromoted;
import dev.tunewright.contracts.adapter.AdapterRegistered;
import dev.tunewright.contracts.evaluation.EvaluationCompleted;
import dev.tunewright.contracts.evaluation.Verdict;
import dev.tunewright.contracts.job.JobSucceeded;
import dev.tunewright.engine.lora.LoraAdapters;
import dev.tunewright.engine.model.LanguageModel;
import dev.tunewright.engine.model.TinyModels;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry's main flow against the packaged service on the real broker and database: jobs and evaluations arrive
 * as events in either order and twice, versions carry their exact lineage, the download is the registered bytes and
 * loads back in the engine with the same log-probs, aliases move through the gate, and another team sees nothing.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(RegistryTestResource.class)
class RegistryFlowIT {

    private static final String DATASET_SHA = "d".repeat(64);
    private static final String BASE_SHA = "e".repeat(64);

    @TempDir
    Path work;

    @Test
    void succeededJobsBecomeVersionsWithLineageEvaluationsAndGatedAliases() throws Exception {
        TeamIdentity team = RegistryTesting.newTeam("acme");
        String name = "support-bot";
        String path = "/v1/adapters/" + name;
        RegistryTesting.TrainedAdapter first = RegistryTesting.adapter(work, 4, List.of("q_proj", "v_proj"), 1);
        RegistryTesting.TrainedAdapter second = RegistryTesting.adapter(work, 8, List.of("all-linear"), 2);
        String jobA = "ftjob-" + UUID.randomUUID();
        String jobB = "ftjob-" + UUID.randomUUID();

        try (RegistryTesting.AdapterEvents adapterEvents = new RegistryTesting.AdapterEvents()) {
            // Job A: its evaluation arrives before the job itself, and the job is announced twice (redelivery, and
            // a second event for the same job).
            JobSucceeded a = RegistryTesting.succeeded(team, jobA, name, first.artifactId(),
                    RegistryTesting.lineage("ds-a", DATASET_SHA, BASE_SHA, 42));
            RegistryTesting.publish(RegistryTesting.evaluation(team, jobA, null, Verdict.IMPROVED, 0.90));
            RegistryTesting.publish(a, a, RegistryTesting.succeeded(team, jobA, name, first.artifactId(), a.lineage()));
            RegistryTesting.await("version 1 passes its readiness check",
                    () -> "passed".equals(as(team).get(path + "/versions/1").path("readiness.status")));

            // Job B: registered first, its final evaluation after, then a checkpoint evaluation that is not the verdict.
            RegistryTesting.publish(RegistryTesting.succeeded(team, jobB, name, second.artifactId(),
                    RegistryTesting.lineage("ds-b", "f".repeat(64), BASE_SHA, 7)));
            EvaluationCompleted finalB = RegistryTesting.evaluation(team, jobB, null, Verdict.IMPROVED, 0.80);
            RegistryTesting.publish(finalB, finalB, RegistryTesting.evaluation(team, jobB, 50L, Verdict.REGRESSED, 0.1));
            RegistryTesting.await("version 2 checked and evaluated", () -> {
                JsonPath v2 = as(team).get(path + "/versions/2").jsonPath();
                return "passed".equals(v2.getString("readiness.status")) && v2.get("evaluation") != null;
            });

            JsonPath adapter = as(team).get(path).then().statusCode(200).extract().jsonPath();
            assertThat(adapter.getInt("latest_version")).as("announced three times, registered once").isEqualTo(2);
            assertThat(adapter.getList("versions.version", Integer.class)).containsExactly(2, 1);
            assertThat(adapter.getList("versions.job_id", String.class)).containsExactly(jobB, jobA);
            assertThat(adapter.getList("versions.verdict", String.class)).containsExactly("improved", "improved");

            lineageAndFilesOfVersionOne(team, path, first);
            downloadHashesToTheRegisteredValuesAndLoadsBackWithTheSameLogProbs(team, path, first);
            assertThat(as(team).get(path + "/versions/2").jsonPath()
                    .getDouble("evaluation.tuned_metrics.accuracy")).as("the checkpoint evaluation is not the verdict")
                    .isEqualTo(0.80);

            aliasesMoveThroughTheGateAndAreAudited(team, name, path, adapterEvents);
            List<AdapterEvent> registered = adapterEvents.await(
                    e -> e instanceof AdapterRegistered r && r.teamId().equals(team.teamId()), 2);
            assertThat(registered).extracting(e -> ((AdapterRegistered) e).version()).containsExactlyInAnyOrder(1, 2);
        }
        editsFiltersAndPages(team, name, path);
        anotherTeamSeesNothing(name, path);
    }

    private static void lineageAndFilesOfVersionOne(TeamIdentity team, String path, RegistryTesting.TrainedAdapter first)
            throws IOException {
        JsonPath v1 = as(team).get(path + "/versions/1").then().statusCode(200)
                .body("object", equalTo("adapter.version")).extract().jsonPath();
        assertThat(v1.getString("lineage.dataset.sha256")).isEqualTo(DATASET_SHA);
        assertThat(v1.getString("lineage.dataset.id")).isEqualTo("ds-a");
        assertThat(v1.getString("lineage.base_model.id")).isEqualTo(RegistryTesting.BASE);
        assertThat(v1.getString("lineage.base_model.weights_sha256")).isEqualTo(BASE_SHA);
        assertThat(v1.getLong("lineage.seed")).isEqualTo(42);
        assertThat(v1.getString("lineage.engine_version")).isEqualTo("0.1.0-test");
        assertThat(v1.getInt("lineage.hyperparameters.lora.r")).isEqualTo(4);
        assertThat(v1.getString("artifact.id")).isEqualTo(first.artifactId());
        Map<String, Object> files = v1.getMap("artifact.files");
        assertThat(files).containsOnlyKeys("adapter_config.json", "adapter_model.safetensors");
        for (String file : files.keySet()) {
            assertThat(v1.getString("artifact.files.'" + file + "'.sha256")).isEqualTo(sha256(Files.readAllBytes(
                    first.dir().resolve(file))));
        }
        assertThat(v1.getString("evaluation.verdict")).isEqualTo("improved");
        assertThat(v1.getInt("readiness.lora_rank")).isEqualTo(4);
        assertThat(v1.getList("readiness.checks.passed", Boolean.class)).hasSize(11).containsOnly(true);
        assertThat(v1.getString("recipe.vllm_serve")).isEqualTo("vllm serve " + RegistryTesting.BASE
                + " --enable-lora --max-lora-rank 8 --lora-modules " + v1.getString("fine_tuned_model") + "=./support-bot-v1");
        assertThat(v1.getString("recipe.load_lora_adapter.lora_path")).isEqualTo("./support-bot-v1");
    }

    private static void downloadHashesToTheRegisteredValuesAndLoadsBackWithTheSameLogProbs(TeamIdentity team,
            String path, RegistryTesting.TrainedAdapter first) throws IOException {
        JsonPath v1 = as(team).get(path + "/versions/1").jsonPath();
        String download = path + "/versions/1/download";
        byte[] zip = as(team).get(download).then().statusCode(200)
                .header("Content-Type", "application/zip")
                .header("Content-Disposition", containsString("support-bot-v1.zip")).extract().asByteArray();
        Path unpacked = Files.createDirectories(first.dir().resolveSibling("downloaded-" + UUID.randomUUID()));
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                byte[] bytes = in.readAllBytes();
                assertThat(sha256(bytes)).as(entry.getName())
                        .isEqualTo(v1.getString("artifact.files.'" + entry.getName() + "'.sha256"));
                Files.write(unpacked.resolve(entry.getName()), bytes);
            }
        }
        try (LanguageModel model = TinyModels.load(RegistryTesting.base());
             LoraAdapters loaded = LoraAdapters.load(model, unpacked)) {
            List<double[]> logProbs = model.logProbs(RegistryTesting.SEQUENCES);
            for (int i = 0; i < logProbs.size(); i++) {
                assertThat(logProbs.get(i)).containsExactly(first.logProbs().get(i));
            }
        }
    }

    private static void aliasesMoveThroughTheGateAndAreAudited(TeamIdentity team, String name, String path,
            RegistryTesting.AdapterEvents adapterEvents) {
        String production = path + "/aliases/production";
        as(team).contentType("application/json").body(Map.of("version", 2))
                .put(path + "/aliases/candidate").then().statusCode(200).body("version", equalTo(2))
                .body("changed", equalTo(true)).body("move.from_version", nullValue());
        as(team).contentType("application/json").body(Map.of("version", 1, "reason", "first release"))
                .put(production).then().statusCode(200).body("version", equalTo(1)).body("move.forced", equalTo(false))
                .body("move.moved_by.team_name", equalTo("acme"));
        as(team).contentType("application/json").body(Map.of("version", 1))
                .put(production).then().statusCode(200).body("changed", equalTo(false));
        String resolved = path + "@production";
        as(team).get(resolved).then().statusCode(200).body("version", equalTo(1))
                .body("aliases", contains("production"));

        // Version 2 improved over the base but scores 0.80 against version 1's 0.90: a regression.
        as(team).contentType("application/json").body(Map.of("version", 2))
                .put(production).then().statusCode(409).body("error.code", equalTo("promotion_refused"))
                .body("error.message", containsString("regresses against version 1"));
        as(team).contentType("application/json").body(Map.of("version", 2, "force", true))
                .put(production).then().statusCode(400).body("error.param", equalTo("reason"));
        as(team).contentType("application/json")
                .body(Map.of("version", 2, "force", true, "reason", "v2 handles the new ticket types"))
                .put(production).then().statusCode(200).body("version", equalTo(2)).body("move.forced", equalTo(true))
                .body("move.from_version", equalTo(1)).body("move.overridden[0]", containsString("regresses"));
        as(team).get(production).then().statusCode(200)
                .body("history.to_version", contains(2, 1)).body("history[0].reason", equalTo("v2 handles the new ticket types"))
                .body("history[0].moved_by.team_id", equalTo(team.teamId()));

        List<AdapterEvent> promoted = adapterEvents.await(e -> e instanceof AdapterPromoted p
                && p.teamId().equals(team.teamId()) && "production".equals(p.stage()), 2);
        AdapterPromoted forced = (AdapterPromoted) promoted.get(1);
        assertThat(forced.version()).isEqualTo(2);
        assertThat(forced.previousVersion()).isEqualTo(1);
        assertThat(forced.forced()).isTrue();
        assertThat(forced.reason()).isEqualTo("v2 handles the new ticket types");
        assertThat(forced.name()).isEqualTo(name);

        as(team).queryParam("reason", "done").delete(path + "/aliases/candidate")
                .then().statusCode(200).body("move.to_version", nullValue()).body("move.from_version", equalTo(2));
        as(team).get(path + "@candidate").then().statusCode(404);
        as(team).get(path + "@latest").then().statusCode(200).body("version", equalTo(2));
    }

    private static void editsFiltersAndPages(TeamIdentity team, String name, String path) throws IOException {
        as(team).contentType("application/json")
                .body(Map.of("description", "Routes support tickets", "tags", List.of("support", "tickets")))
                .patch(path).then().statusCode(200).body("description", equalTo("Routes support tickets"))
                .body("tags", contains("support", "tickets"));
        as(team).contentType("application/json").body(Map.of("tags", List.of("bad tag")))
                .patch(path).then().statusCode(400).body("error.param", equalTo("tags[0]"));

        // A second adapter of the same team, named by the base's short name (no suffix), without evaluation.
        RegistryTesting.TrainedAdapter other = RegistryTesting.adapter(Files.createTempDirectory("other"), 4,
                List.of("q_proj"), 3);
        RegistryTesting.publish(RegistryTesting.succeeded(team, "ftjob-" + UUID.randomUUID(), null, other.artifactId(),
                RegistryTesting.lineage("ds-c", DATASET_SHA, BASE_SHA, 1)));
        String list = "/v1/adapters";
        RegistryTesting.await("the unnamed job registered under the base's name", () ->
                as(team).get(list).jsonPath().getList("data.name").contains(RegistryTesting.BASE));

        assertThat(names(team, Map.of())).containsExactly(RegistryTesting.BASE, name);
        assertThat(names(team, Map.of("tag", "support"))).containsExactly(name);
        assertThat(names(team, Map.of("alias", "production"))).containsExactly(name);
        assertThat(names(team, Map.of("base_model", RegistryTesting.BASE))).containsExactly(RegistryTesting.BASE, name);
        assertThat(names(team, Map.of("metric", "accuracy", "metric_min", 0.85))).containsExactly(name);
        assertThat(names(team, Map.of("metric", "accuracy", "metric_min", 0.95))).isEmpty();
        as(team).queryParam("metric", "accuracy").get(list).then().statusCode(400)
                .body("error.param", equalTo("metric_min"));

        JsonPath page1 = as(team).queryParam("limit", 1).get(list).jsonPath();
        assertThat(page1.getList("data.name")).containsExactly(RegistryTesting.BASE);
        assertThat(page1.getBoolean("has_more")).isTrue();
        JsonPath page2 = as(team).queryParam("limit", 1).queryParam("after", page1.getString("data[0].id"))
                .get(list).jsonPath();
        assertThat(page2.getList("data.name")).containsExactly(name);
        assertThat(page2.getBoolean("has_more")).isFalse();
        assertThat(page2.getInt("data[0].aliases.production")).isEqualTo(2);
    }

    private static List<String> names(TeamIdentity team, Map<String, ?> query) {
        return as(team).queryParams(query).get("/v1/adapters").then().statusCode(200)
                .extract().jsonPath().getList("data.name", String.class);
    }

    private static void anotherTeamSeesNothing(String name, String path) {
        TeamIdentity other = RegistryTesting.newTeam("globex");
        for (String hidden : List.of(path, path + "/versions/1", path + "@production", path + "@latest",
                path + "/versions/1/download", path + "/versions/1/recipe", path + "/aliases/production")) {
            as(other).get(hidden).then().statusCode(404);
        }
        as(other).contentType("application/json").body(Map.of("version", 1))
                .put(path + "/aliases/production").then().statusCode(404);
        as(other).delete(path + "/aliases/production").then().statusCode(404);
        as(other).contentType("application/json").body(Map.of())
                .post(path + "/versions/1/merge").then().statusCode(404);
        as(other).get("/v1/adapters").then().statusCode(200).body("data.size()", equalTo(0));
        as(other).queryParam("alias", "production").get("/v1/adapters").then().statusCode(200)
                .body("data.size()", equalTo(0));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
