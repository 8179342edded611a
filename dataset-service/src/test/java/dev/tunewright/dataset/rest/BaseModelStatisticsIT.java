package dev.tunewright.dataset.rest;

import static dev.tunewright.dataset.rest.StoreContents.artifactCount;
import static dev.tunewright.dataset.rest.StoreContents.stagedCount;
import static dev.tunewright.dataset.rest.TestTeams.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.tunewright.common.identity.TeamIdentity;
import dev.tunewright.engine.chat.ChatTemplates;
import dev.tunewright.engine.tokenizer.WordLevelTokenizerFiles;
import dev.tunewright.testing.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Token statistics as users get them: the packaged service (its own JVM from {@code quarkus-run.jar}, with the
 * production class loading) measures rows in a base model's tokens. The model folders are tiny ones written here in
 * the real Hugging Face formats: a word-level tokenizer, with and without a chat template.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(InfrastructureResource.class)
@TestProfile(BaseModelStatisticsIT.TinyModels.class)
class BaseModelStatisticsIT {

    /** The installed models of the packaged service: a folder this test fills before its first request. */
    public static class TinyModels implements QuarkusTestProfile {
        static final Path DIR = Path.of("target", "packaged-test-models").toAbsolutePath();

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tunewright.models.dir", DIR.toString());
        }
    }

    /**
     * Every word of the template's output, so that each renders to exactly one token; EOS ends every turn, as
     * training requires of a template (the model must learn to stop).
     */
    private static final String CHAT_TEMPLATE =
            "{% for message in messages %}{{ message['role'] }} {{ message['content'] }} </s> {% endfor %}";
    private static final int ROWS = 12;

    @BeforeAll
    static void models() throws IOException {
        writeModel(TinyModels.DIR.resolve("tiny-chat"), CHAT_TEMPLATE);
        writeModel(TinyModels.DIR.resolve("tiny-base"), null);
        Path broken = Files.createDirectories(TinyModels.DIR.resolve("tiny-broken"));
        Files.writeString(broken.resolve("tokenizer.json"), "{\"this is\": \"not a tokenizer\"");
        Files.writeString(broken.resolve("config.json"), "{}");
    }

    /** Row k: {@code what is wk} answered by {@code it is} and k % 4 more words. */
    private static String rows() {
        StringBuilder content = new StringBuilder();
        for (int k = 0; k < ROWS; k++) {
            content.append("{\"prompt\":\"what is w").append(k).append("\",\"completion\":\"it is")
                    .append(" x".repeat(k % 4)).append("\"}\n");
        }
        return content.toString();
    }

    @Test
    void countsRowsInTheChatModelsTokensAsTrainingRendersThem() {
        TeamIdentity team = TestTeams.newTeam("tokens-chat");
        String fileId = DatasetFlowIT.upload(team, "chat.jsonl", rows(), false).then().statusCode(200).extract().path("id");

        // "user what is wk </s> assistant it is x.. </s> ": 9 tokens plus k % 4.
        int total = 0;
        for (int k = 0; k < ROWS; k++) {
            total += 9 + k % 4;
        }
        Response dataset = as(team).contentType("application/json")
                .body(Map.of("file_id", fileId, "validation_fraction", 0.25, "base_model", "tiny-chat", "max_seq_length", 11))
                .post("/v1/datasets");
        dataset.then().statusCode(201)
                .body("stats.tokens.base_model", equalTo("tiny-chat"))
                .body("stats.tokens.chat_template", equalTo(true))
                .body("stats.tokens.rows_refused", equalTo(0))
                .body("stats.tokens.tokens.min", equalTo(9))
                .body("stats.tokens.tokens.max", equalTo(12))
                .body("stats.tokens.total_tokens", equalTo(total))
                .body("stats.tokens.rows_over_max_seq_length", equalTo(ROWS / 4));
    }

    @Test
    void countsRowsInTheTokensOfABaseModelWithoutChatTemplate() {
        TeamIdentity team = TestTeams.newTeam("tokens-base");
        String fileId = DatasetFlowIT.upload(team, "base.jsonl", rows(), false).then().statusCode(200).extract().path("id");

        Response dataset = as(team).contentType("application/json")
                .body(Map.of("file_id", fileId, "validation_fraction", 0.25, "base_model", "tiny-base"))
                .post("/v1/datasets");
        dataset.then().statusCode(201)
                .body("stats.tokens.base_model", equalTo("tiny-base"))
                .body("stats.tokens.chat_template", equalTo(false));
        assertThat(dataset.<Integer>path("stats.tokens.tokens.min")).isPositive();
        assertThat(dataset.<Integer>path("stats.tokens.total_tokens")).isGreaterThanOrEqualTo(ROWS * 5);
    }

    @Test
    void anUnknownModelIsRefusedNamingTheFieldAndWhatIsAllowedNeverAServerPath() {
        TeamIdentity team = TestTeams.newTeam("tokens-unknown");
        String fileId = DatasetFlowIT.upload(team, "t.jsonl", rows(), false).then().statusCode(200).extract().path("id");

        for (String model : List.of("no-such-model", "../tiny-chat", "/etc")) {
            Response refused = as(team).contentType("application/json")
                    .body(Map.of("file_id", fileId, "base_model", model)).post("/v1/datasets");
            refused.then().statusCode(400)
                    .body("error.param", equalTo("base_model"))
                    .body("error.code", equalTo("model_not_found"));
            String message = refused.path("error.message");
            assertThat(message).as(model).contains("allowed: tiny-base, tiny-broken, tiny-chat")
                    .doesNotContain(TinyModels.DIR.toString()).doesNotContain("packaged-test-models");
        }
    }

    /** Neither a dataset refused for too few rows nor one whose base model cannot be read leaves split artifacts. */
    @Test
    void aFailedCreationLeavesNoSplitArtifactsBehind() throws IOException {
        TeamIdentity team = TestTeams.newTeam("tokens-failed");
        String single = DatasetFlowIT.upload(team, "one.jsonl", "{\"prompt\":\"only\",\"completion\":\"row\"}\n", false)
                .then().statusCode(200).extract().path("id");
        String twelve = DatasetFlowIT.upload(team, "twelve.jsonl", rows(), false).then().statusCode(200).extract().path("id");
        long before = artifactCount();

        as(team).contentType("application/json").body(Map.of("file_id", single))
                .post("/v1/datasets").then().statusCode(400).body("error.code", equalTo("too_few_rows"));
        as(team).contentType("application/json")
                .body(Map.of("file_id", twelve, "base_model", "tiny-broken", "seed", 3)).post("/v1/datasets")
                .then().statusCode(400).body("error.param", equalTo("base_model"))
                .body("error.code", equalTo("model_unavailable"));

        assertThat(artifactCount()).as("artifacts after two failed creations").isEqualTo(before);
        assertThat(stagedCount()).isZero();
        as(team).get("/v1/datasets").then().statusCode(200).body("data.size()", equalTo(0));
    }

    private static void writeModel(Path dir, String chatTemplate) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"llama\"}");
        WordLevelTokenizerFiles.write(dir, List.of("[UNK]", "<s>", "</s>", "user", "assistant", "what", "is", "it", "x"), 2);
        Files.deleteIfExists(dir.resolve(ChatTemplates.JINJA_FILE));
        if (chatTemplate != null) {
            Files.writeString(dir.resolve(ChatTemplates.JINJA_FILE), chatTemplate);
        }
    }
}
