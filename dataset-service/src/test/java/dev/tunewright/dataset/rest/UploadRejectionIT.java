package dev.tunewright.dataset.rest;

import static dev.tunewright.dataset.rest.StoreContents.artifactCount;
import static dev.tunewright.dataset.rest.StoreContents.stagedCount;
import static dev.tunewright.dataset.rest.TestTeams.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.tunewright.common.identity.TeamIdentity;
import dev.tunewright.testing.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One case per kind of bad input: the message, the line and field, and that nothing of the file was stored. */
@QuarkusTest
@QuarkusTestResource(InfrastructureResource.class)
@TestProfile(UploadRejectionIT.SmallLimits.class)
class UploadRejectionIT {

    /** Small limits so that the size cases need no large files. */
    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tunewright.dataset.max-file-bytes", "200000", "tunewright.dataset.max-line-bytes", "2048");
        }
    }

    private static final String GOOD = "{\"prompt\":\"2+2\",\"completion\":\"4\"}\n";

    static Stream<Arguments> badFiles() {
        ByteArrayOutputStream utf8 = new ByteArrayOutputStream();
        utf8.writeBytes((GOOD + "{\"prompt\":\"caf").getBytes(StandardCharsets.UTF_8));
        utf8.write(0xE9); // Latin-1 é, not UTF-8
        utf8.writeBytes("\",\"completion\":\"x\"}\n".getBytes(StandardCharsets.UTF_8));
        return Stream.of(
                Arguments.of("invalid JSON", bytes(GOOD + "{\"prompt\": \"a\", completion: 1}\n"), 2, null, "invalid_json", "invalid JSON"),
                Arguments.of("invalid UTF-8", utf8.toByteArray(), 2, null, "invalid_utf8", "invalid UTF-8 at byte 15"),
                Arguments.of("unknown field", bytes(GOOD + GOOD + "{\"prompt\":\"a\",\"completion\":\"b\",\"label\":1}\n"), 3, "label",
                        "unknown_field", "unknown field for the prompt_completion format"),
                Arguments.of("missing field", bytes("{\"instruction\":\"a\",\"input\":\"b\"}\n"), 1, "output", "missing_field",
                        "required field is missing"),
                Arguments.of("empty output", bytes("{\"instruction\":\"a\",\"output\":\"\"}\n"), 1, "output", "empty_value",
                        "empty output"),
                Arguments.of("wrong type", bytes(GOOD + "{\"prompt\":[\"a\"],\"completion\":\"b\"}\n"), 2, "prompt", "wrong_type",
                        "must be a string, was an array"),
                Arguments.of("no assistant reply", bytes("{\"messages\":[{\"role\":\"system\",\"content\":\"s\"},"
                        + "{\"role\":\"user\",\"content\":\"hi\"}]}\n"), 1, "messages", "no_assistant_reply",
                        "conversation has no assistant reply"),
                Arguments.of("line over the limit", bytes(GOOD + "{\"prompt\":\"" + "x".repeat(3000) + "\",\"completion\":\"y\"}\n"), 2,
                        null, "line_too_long", "the limit is 2048"));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void isRejectedWithLineFieldAndMessageAndNothingStored(String kind, byte[] content, int line, String field, String code,
            String message) throws IOException {
        TeamIdentity team = TestTeams.newTeam("team-" + code.replace('_', '-'));
        long artifactsBefore = artifactCount();
        Response response = as(team).multiPart("file", "bad.jsonl", content, "application/jsonl")
                .multiPart("purpose", "fine-tune").post("/v1/files");
        response.then().statusCode(400).body("error.code", equalTo("invalid_file"))
                .body("report.problems[0].line", equalTo(line))
                .body("report.problems[0].field", equalTo(field))
                .body("report.problems[0].code", equalTo(code));
        assertThat(response.<String>path("report.problems[0].message")).contains(message);
        assertThat(response.<String>path("error.message")).contains("line " + line);
        as(team).get("/v1/files").then().statusCode(200).body("data.size()", equalTo(0));
        as(team).get("/v1/datasets").then().statusCode(200).body("data.size()", equalTo(0));
        assertThat(artifactCount()).as("no artifact written for a rejected " + kind).isEqualTo(artifactsBefore);
    }

    @Test
    void fileOverTheSizeLimitGets413BeforeItsBodyIsRead() throws Exception {
        TeamIdentity team = TestTeams.newTeam("big");
        long artifactsBefore = artifactCount();
        String boundary = "tunewright-boundary";
        byte[] head = bytes("--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nfine-tune\r\n--"
                + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.jsonl\"\r\n\r\n");
        byte[] body = new byte[head.length + 400_000];
        System.arraycopy(head, 0, body, 0, head.length);
        java.util.Arrays.fill(body, head.length, body.length, (byte) '\n');
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(io.restassured.RestAssured.baseURI + ":"
                                + io.restassured.RestAssured.port + "/v1/files"))
                        .header(dev.tunewright.common.identity.IdentitySigner.HEADER, TestTeams.sign(team, "POST", "/v1/files"))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("\"code\":\"payload_too_large\"").contains("\"param\":\"file\"")
                .contains("upload is " + body.length + " bytes, the limit is 200000 bytes");
        assertThat(artifactCount()).isEqualTo(artifactsBefore);
        as(team).get("/v1/files").then().statusCode(200).body("data.size()", equalTo(0));
    }

    @Test
    void streamedFileOverTheSizeLimitGets413WhileArrivingAndLeavesNothing() throws Exception {
        TeamIdentity team = TestTeams.newTeam("chunked");
        long artifactsBefore = artifactCount();
        String boundary = "tunewright-boundary";
        byte[] head = bytes("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.jsonl\"\r\n\r\n");
        byte[] body = new byte[head.length + 400_000];
        System.arraycopy(head, 0, body, 0, head.length);
        for (int i = head.length; i < body.length; i += GOOD.length()) {
            System.arraycopy(bytes(GOOD), 0, body, i, Math.min(GOOD.length(), body.length - i));
        }
        // No Content-Length: the router cannot refuse it up front, so the upload itself must stop at the limit.
        java.net.http.HttpResponse<String> response = post(team, boundary, java.net.http.HttpRequest.BodyPublishers
                .ofInputStream(() -> new java.io.ByteArrayInputStream(body)));
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("\"code\":\"payload_too_large\"").contains("limit of 200000 bytes");
        assertThat(artifactCount()).isEqualTo(artifactsBefore);
        assertThat(stagedCount()).isZero();
        as(team).get("/v1/files").then().statusCode(200).body("data.size()", equalTo(0));
    }

    @Test
    void malformedFormsAndAWrongPurposeSentFirstAreRefusedAndLeaveNothing() throws Exception {
        TeamIdentity team = TestTeams.newTeam("malformed");
        long artifactsBefore = artifactCount();
        String boundary = "b0undary";
        java.net.http.HttpResponse<String> truncated = post(team, boundary, java.net.http.HttpRequest.BodyPublishers.ofByteArray(
                bytes("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jsonl\"\r\n\r\n" + GOOD)));
        assertThat(truncated.statusCode()).isEqualTo(400);
        assertThat(truncated.body()).contains("\"code\":\"invalid_multipart\"").contains("closing boundary");

        java.net.http.HttpResponse<String> purposeFirst = post(team, boundary, java.net.http.HttpRequest.BodyPublishers.ofByteArray(
                bytes("--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nassistants\r\n--" + boundary
                        + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jsonl\"\r\n\r\n" + GOOD + "\r\n--"
                        + boundary + "--\r\n")));
        assertThat(purposeFirst.statusCode()).isEqualTo(400);
        assertThat(purposeFirst.body()).contains("\"param\":\"purpose\"").contains("was 'assistants'");

        as(team).multiPart("purpose", "fine-tune").post("/v1/files")
                .then().statusCode(400).body("error.code", equalTo("missing_field")).body("error.param", equalTo("file"));
        assertThat(artifactCount()).isEqualTo(artifactsBefore);
        assertThat(stagedCount()).isZero();
        as(team).get("/v1/files").then().statusCode(200).body("data.size()", equalTo(0));
    }

    private static java.net.http.HttpResponse<String> post(TeamIdentity team, String boundary,
            java.net.http.HttpRequest.BodyPublisher body) throws Exception {
        return java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(io.restassured.RestAssured.baseURI + ":"
                                + io.restassured.RestAssured.port + "/v1/files"))
                        .header(dev.tunewright.common.identity.IdentitySigner.HEADER, TestTeams.sign(team, "POST", "/v1/files"))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(body).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }
}
