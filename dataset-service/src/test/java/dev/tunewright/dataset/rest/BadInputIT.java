package dev.tunewright.dataset.rest;

import static dev.tunewright.dataset.rest.StoreContents.artifactCount;
import static dev.tunewright.dataset.rest.StoreContents.stagedCount;
import static dev.tunewright.dataset.rest.TestTeams.as;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunewright.common.identity.TeamIdentity;
import dev.tunewright.testing.Infrastructure;
import dev.tunewright.testing.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Careless and hostile input on the packaged service: each is a 400 that names the field, line or position, never a
 * 500, never silently read as something else, never a header or log line broken by client text, and nothing left in
 * the store.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(InfrastructureResource.class)
class BadInputIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GOOD = "{\"prompt\":\"2+2\",\"completion\":\"4\"}\n";
    private static final String FIVE = "{\"prompt\":\"2+3\",\"completion\":\"5\"}\n";

    private static TeamIdentity team;
    private static String fileId;

    /** Once per class; in a method, because RestAssured knows the packaged service's port only once a test runs. */
    @BeforeEach
    void aFile() {
        if (team != null) {
            return;
        }
        team = TestTeams.newTeam("bad-input");
        fileId = DatasetFlowIT.upload(team, "ok.jsonl", DatasetFlowIT.classificationFile(40), false).then().statusCode(200)
                .extract().path("id");
    }

    static Stream<Arguments> linesBeyondJsonLimits() {
        return Stream.of(
                Arguments.of("nesting over 1,000 levels", "{\"prompt\":" + "[".repeat(1_200) + "]".repeat(1_200)
                        + ",\"completion\":\"x\"}"),
                Arguments.of("a number over 1,000 digits", "{\"prompt\":\"a\",\"completion\":\"b\",\"n\":" + "9".repeat(1_200) + "}"),
                Arguments.of("a key over 50,000 characters", "{\"" + "k".repeat(50_001) + "\":1,\"prompt\":\"a\",\"completion\":\"b\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("linesBeyondJsonLimits")
    void jsonBeyondTheParsersLimitsIsAProblemOfItsLine(String kind, String line) throws IOException {
        long before = artifactCount();
        String content = GOOD + line + "\n" + FIVE;
        HttpResponse<String> strict = SignedHttp.upload(team, new Multipart().field("purpose", "fine-tune").file("deep.jsonl", content));
        assertThat(strict.statusCode()).as(strict.body()).isEqualTo(400);
        JsonNode refused = JSON.readTree(strict.body());
        assertThat(refused.path("error").path("code").asText()).isEqualTo("invalid_file");
        assertThat(refused.path("report").path("problems").get(0).path("line").asInt()).isEqualTo(2);
        assertThat(refused.path("report").path("problems").get(0).path("code").asText()).isEqualTo("invalid_json");
        assertThat(artifactCount()).isEqualTo(before);

        HttpResponse<String> skipping = SignedHttp.upload(team, new Multipart().field("purpose", "fine-tune")
                .field("skip_invalid", "true").file("deep.jsonl", content));
        assertThat(skipping.statusCode()).as(skipping.body()).isEqualTo(200);
        JsonNode kept = JSON.readTree(skipping.body());
        assertThat(kept.path("dataset").path("rows").asInt()).isEqualTo(2);
        assertThat(kept.path("dataset").path("skipped_lines").asInt()).isEqualTo(1);
        assertThat(kept.path("status_details").asText()).startsWith("skipped 1 invalid line(s): line 2: invalid JSON");
    }

    static Stream<Arguments> refusedFilenames() {
        return Stream.of(
                Arguments.of("a slash", "/", "names no file"),
                Arguments.of("dot dot", "../..", "names no file"),
                Arguments.of("NUL", "a\u0000b.jsonl", "control character (U+0000)"),
                Arguments.of("bare LF", "a\nINFO forged log line.jsonl", "control character (U+000A)"),
                Arguments.of("bare CR", "a\rb.jsonl", "control character (U+000D)"),
                Arguments.of("tab", "a\tb.jsonl", "control character (U+0009)"),
                Arguments.of("right-to-left override", "a\u202Elnosj.exe", "control character (U+202E)"),
                Arguments.of("over 255 characters", "x".repeat(256) + ".jsonl", "the limit is 255"),
                Arguments.of("over 512 characters", "y".repeat(600), "the limit is 255"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedFilenames")
    void aFileNameThatCannotBeKeptIsRefusedNamingTheFieldAndLeavesNothing(String kind, String filename, String message)
            throws IOException {
        long before = artifactCount();
        HttpResponse<String> response = SignedHttp.upload(team, new Multipart().field("purpose", "fine-tune")
                .file(filename, GOOD + FIVE));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("param").asText()).isEqualTo("file");
        assertThat(error.path("code").asText()).isEqualTo("invalid_filename");
        assertThat(error.path("message").asText()).contains(message);
        assertThat(artifactCount()).as("artifacts after a refused " + kind).isEqualTo(before);
        assertThat(stagedCount()).isZero();
        assertThat(serviceLog()).as("no log line starts with client text").doesNotContain("\nINFO forged log line")
                .doesNotContain("\u0000");
    }

    @Test
    void namesAreKeptWithoutTheirDirectoriesAndDownloadWithAWellFormedHeader() throws Exception {
        for (String[] sent : new String[][] {{"dir/sub/train.jsonl", "train.jsonl"}, {"C:\\\\Users\\\\me\\\\t.jsonl", "t.jsonl"},
                {"quote\\\"d and ü 日本.jsonl", "quote\"d and ü 日本.jsonl"}}) {
            HttpResponse<String> uploaded = SignedHttp.upload(team, new Multipart().field("purpose", "fine-tune")
                    .file(sent[0], GOOD + FIVE));
            assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(200);
            JsonNode file = JSON.readTree(uploaded.body());
            assertThat(file.path("filename").asText()).isEqualTo(sent[1]);
            HttpResponse<String> content = download(file.path("id").asText());
            assertThat(content.statusCode()).isEqualTo(200);
            assertThat(content.body()).isEqualTo(GOOD + FIVE);
            assertThat(content.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("attachment; filename=\"")
                    .contains("filename*=UTF-8''");
        }
    }

    /** A name stored before control characters were refused still downloads, with a header that stays one header. */
    @Test
    void aStoredNameWithLineBreaksCannotBreakTheDownloadsHeaders() throws Exception {
        String id = DatasetFlowIT.upload(team, "legacy.jsonl", GOOD + FIVE, false).then().statusCode(200).extract().path("id");
        Infrastructure infrastructure = Infrastructure.get();
        try (Connection db = DriverManager.getConnection(infrastructure.jdbcUrl(), infrastructure.username(),
                infrastructure.password());
                PreparedStatement update = db.prepareStatement("update dataset.dataset_file set filename = ? where id = ?")) {
            update.setString(1, "a\r\nSet-Cookie: x=1\n\"b.jsonl");
            update.setString(2, id);
            assertThat(update.executeUpdate()).isEqualTo(1);
        }
        HttpResponse<String> content = download(id);

        assertThat(content.statusCode()).isEqualTo(200);
        assertThat(content.body()).isEqualTo(GOOD + FIVE);
        assertThat(content.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(content.headers().firstValue("Content-Disposition").orElseThrow())
                .isEqualTo("attachment; filename=\"a__Set-Cookie: x=1__b.jsonl\"; filename*=UTF-8''a%0D%0ASet-Cookie%3A%20x%3D1%0A%22b.jsonl");
    }

    @Test
    void aSecondFilePartARepeatedFieldAndAFlagThatIsNotABooleanAreRefused() throws IOException {
        long before = artifactCount();
        assertRefused(SignedHttp.upload(team, new Multipart().field("purpose", "fine-tune").file("a.jsonl", GOOD)
                .file("b.jsonl", FIVE)), "file", "more than one 'file' part");
        assertRefused(SignedHttp.upload(team, new Multipart().field("purpose", "fine-tune").field("purpose", "fine-tune")
                .file("a.jsonl", GOOD)), "purpose", "more than one 'purpose'");
        for (String flag : List.of("yes", "1", "on", "")) {
            assertRefused(SignedHttp.upload(team, new Multipart().field("purpose", "fine-tune").field("skip_invalid", flag)
                    .file("a.jsonl", GOOD)), "skip_invalid", "must be true or false");
        }
        assertThat(artifactCount()).isEqualTo(before);
        assertThat(stagedCount()).isZero();
        HttpResponse<String> upper = SignedHttp.upload(team, new Multipart().field("purpose", "fine-tune")
                .field("skip_invalid", "TRUE").file("a.jsonl", GOOD + "{broken\n" + FIVE));
        assertThat(upper.statusCode()).as(upper.body()).isEqualTo(200);
    }

    @Test
    void datasetOptionsOfTheWrongTypeAreRefusedNamingTheField() throws IOException {
        Map<String, String> bodies = Map.of(
                "{\"file_id\":\"%s\",\"validation_fraction\":\"0.2\"}", "validation_fraction",
                "{\"file_id\":\"%s\",\"seed\":\"7\"}", "seed",
                "{\"file_id\":\"%s\",\"seed\":1.5}", "seed",
                "{\"file_id\":\"%s\",\"max_seq_length\":\"512\"}", "max_seq_length");
        for (Map.Entry<String, String> body : bodies.entrySet()) {
            HttpResponse<String> response = createDataset(body.getKey().formatted(fileId));
            assertRefused(response, body.getValue(), body.getValue() + " must be");
        }
    }

    @Test
    void aMalformedBodySaysWhere() throws IOException {
        HttpResponse<String> response = createDataset("{\n  \"file_id\": \"" + fileId + "\",\n  \"seed\": ,\n}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("invalid_json");
        assertThat(error.path("message").asText()).startsWith("request body is not valid JSON").contains("line 3, column");
        HttpResponse<String> nested = createDataset("{\"file_id\":\"" + fileId + "\",\"ignored\":" + "[".repeat(1_200)
                + "]".repeat(1_200) + "}");
        assertThat(nested.statusCode()).as(nested.body()).isEqualTo(400);
        assertThat(JSON.readTree(nested.body()).path("error").path("message").asText()).contains("nesting depth");
    }

    private static HttpResponse<String> createDataset(String body) {
        return SignedHttp.send(SignedHttp.request(team, "POST", "/v1/datasets").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static HttpResponse<String> download(String id) {
        String path = "/v1/files/" + id + "/content";
        return SignedHttp.send(SignedHttp.request(team, "GET", path).timeout(Duration.ofSeconds(20)).GET().build());
    }

    private static void assertRefused(HttpResponse<String> response, String param, String message) throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("param").asText()).as(response.body()).isEqualTo(param);
        assertThat(error.path("message").asText()).contains(message);
    }

    /** The packaged service's own output, where {@code @QuarkusIntegrationTest} writes it. */
    private static String serviceLog() throws IOException {
        Path log = Path.of("target", "quarkus.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }
}
