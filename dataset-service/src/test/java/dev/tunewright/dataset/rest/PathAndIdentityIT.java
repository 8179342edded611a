package dev.tunewright.dataset.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunewright.common.identity.IdentitySigner;
import dev.tunewright.common.identity.TeamIdentity;
import dev.tunewright.testing.InfrastructureResource;
import dev.tunewright.testing.RawHttp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.RestAssured;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The identity check as a client that skips the gateway meets it on the packaged service: no path spelling gets
 * around it (dot segments, plain or percent-encoded, are refused before any routing decision), and it is made
 * before a byte of the body is read. Each upload here announces 30 MB and sends none of it, so an answer can only
 * come from a check that did not wait for the body.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(InfrastructureResource.class)
class PathAndIdentityIT {

    private static final long ANNOUNCED = 30L * 1024 * 1024;
    private static final Duration PROMPTLY = Duration.ofSeconds(10);

    static Stream<String> dotSegmentPaths() {
        return Stream.of("/q/../v1/files", "/q/%2e%2e/v1/files", "/q/%2E%2E/v1/files", "/q/.%2e/v1/files",
                "/q/%2e./v1/files", "/q/./../v1/files", "/v1/files/../files", "/q/..%2fv1/files", "/q/..%2Fv1/files",
                "/q/..%5cv1/files", "/q/health/../../v1/files", "/v1/datasets/%2e%2e/files");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dotSegmentPaths")
    void anUploadThroughDotSegmentsIsRefusedBeforeItsBodyIsRead(String path) throws IOException {
        try (RawHttp http = connect()) {
            RawHttp.Answer answer = http.send(uploadHead(path, null)).read(PROMPTLY);
            assertThat(answer).as("answer to POST %s with its body held back", path).isNotNull();
            assertThat(answer.status()).as(answer.body()).isEqualTo(400);
            assertThat(answer.body()).contains("\"code\":\"invalid_path\"");
        }
        try (RawHttp http = connect()) {
            RawHttp.Answer answer = http.send("GET " + path + " HTTP/1.1\r\nHost: service\r\n\r\n").read(PROMPTLY);
            assertThat(answer).isNotNull();
            assertThat(answer.status()).as("GET %s: %s", path, answer.body()).isEqualTo(400);
        }
    }

    @Test
    void anUploadWithoutOrWithAForgedIdentityIsRefusedBeforeItsBodyIsRead() throws IOException {
        TeamIdentity team = TestTeams.newTeam("unread");
        String forged = new IdentitySigner("not-the-secret", Duration.ofSeconds(30)).sign(team, "POST", "/v1/files");
        String otherPath = TestTeams.sign(team, "POST", "/v1/datasets");
        for (String identity : new String[] {null, forged, otherPath, "v1.x.eA.1.eA"}) {
            try (RawHttp http = connect()) {
                RawHttp.Answer answer = http.send(uploadHead("/v1/files", identity)).read(PROMPTLY);
                assertThat(answer).as("answer with identity %s", identity).isNotNull();
                assertThat(answer.status()).as(answer.body()).isEqualTo(401);
                assertThat(answer.body()).contains("\"type\":\"authentication_error\"");
                assertThat(http.closedWithin(PROMPTLY)).as("connection closed instead of reading 30 MB").isTrue();
            }
        }
    }

    @Test
    void managementEndpointsStayOpenAndSignedRequestsStillPass() throws IOException {
        try (RawHttp http = connect()) {
            assertThat(http.send("GET /q/health/ready HTTP/1.1\r\nHost: service\r\n\r\n").read(PROMPTLY).status())
                    .isEqualTo(200);
        }
        TeamIdentity team = TestTeams.newTeam("signed");
        TestTeams.as(team).get("/v1/files").then().statusCode(200);
    }

    private static RawHttp connect() throws IOException {
        URI base = URI.create(RestAssured.baseURI);
        return new RawHttp(base.getHost(), RestAssured.port);
    }

    private static String uploadHead(String path, String identity) {
        return "POST " + path + " HTTP/1.1\r\nHost: service\r\n"
                + (identity == null ? "" : IdentitySigner.HEADER + ": " + identity + "\r\n")
                + "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: " + ANNOUNCED + "\r\n\r\n";
    }
}
