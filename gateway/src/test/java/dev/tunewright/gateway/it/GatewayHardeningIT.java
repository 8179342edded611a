package dev.tunewright.gateway.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tunewright.testing.InfrastructureResource;
import dev.tunewright.testing.RawHttp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged gateway against what a careless or hostile client sends: paths with dot segments, an upload that
 * announces a body and sends none or trickles it, and a readiness probe that must say which backend is down.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(InfrastructureResource.class)
@QuarkusTestResource(TestBackend.class)
@TestProfile(HardenedGateway.class)
class GatewayHardeningIT {

    private static final Duration PROMPTLY = Duration.ofSeconds(10);
    private static String key;

    /** Once per class; in a method, because RestAssured knows the packaged gateway's port only once a test runs. */
    @BeforeEach
    void team() {
        if (key == null) {
            key = GatewayFixtures.createTeam(GatewayFixtures.uniqueName("hardening")).getString("api_key.key");
        }
    }

    @Test
    void anUploadThatSendsNoBodyIsAnswered408AndClosed() throws IOException {
        try (RawHttp http = connect()) {
            long started = System.nanoTime();
            RawHttp.Answer answer = http.send(uploadHead(100_000)).read(PROMPTLY);
            assertThat(answer).as("answer to an upload whose body never comes").isNotNull();
            assertThat(answer.status()).as(answer.body()).isEqualTo(408);
            assertThat(answer.body()).contains("\"code\":\"request_timeout\"").contains("sent 0 bytes in 1 s");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            assertThat(http.closedWithin(PROMPTLY)).isTrue();
        }
    }

    @Test
    void anUploadThatTricklesIsAnswered408() throws Exception {
        try (RawHttp http = connect()) {
            http.send(uploadHead(100_000));
            RawHttp.Answer answer = null;
            for (int i = 0; i < 40 && answer == null; i++) {
                try {
                    http.send("0123456789");
                } catch (IOException closed) {
                    break;
                }
                answer = http.read(Duration.ofMillis(250));
            }
            if (answer == null) {
                answer = http.read(PROMPTLY);
            }
            assertThat(answer).isNotNull();
            assertThat(answer.status()).as(answer.body()).isEqualTo(408);
            assertThat(answer.body()).contains("the minimum is 1024");
        }
    }

    @Test
    void aSlowButSteadyUploadGoesThrough() throws Exception {
        byte[] chunk = new byte[2048];
        java.util.Arrays.fill(chunk, (byte) 'x');
        int chunks = 12;
        try (RawHttp http = connect()) {
            http.send(uploadHead(chunk.length * chunks));
            for (int i = 0; i < chunks; i++) {
                http.send(chunk);
                Thread.sleep(250);
            }
            RawHttp.Answer answer = http.read(PROMPTLY);
            assertThat(answer).isNotNull();
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            assertThat(JsonPath.from(answer.body()).getLong("bytes")).isEqualTo((long) chunk.length * chunks);
        }
    }

    @Test
    void dotSegmentsAreRefusedBeforeAnyRoutingOrAuthentication() throws IOException {
        for (String path : List.of("/q/../v1/files", "/q/%2e%2e/v1/files", "/q/.%2E/admin/teams", "/v1/files/../../admin/teams",
                "/q/..;/v1/files", "/v1/files/..%2f..%2fadmin/teams", "/q/health/../../v1/files")) {
            try (RawHttp http = connect()) {
                RawHttp.Answer answer = http.send("POST " + path + " HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 31457280\r\n\r\n").read(PROMPTLY);
                assertThat(answer).as(path).isNotNull();
                assertThat(answer.status()).as(path + ": " + answer.body()).isEqualTo(400);
                assertThat(answer.body()).contains("\"code\":\"invalid_path\"");
            }
        }
    }

    /**
     * Headers far over any sane size, raw bytes that are not UTF-8 in the path, and traversal hidden in an id each get a
     * clean 4xx, and the gateway still answers the next request (ISO-8859-1 sends each char below 256 as one byte).
     */
    @Test
    void oversizedHeadersNonUtf8PathsAndTraversalInIdsGetA4xxAndTheGatewayGoesOn() throws IOException {
        List<String> requests = List.of(
                "GET /v1/files HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer " + key + "\r\nX-Padding: "
                        + "a".repeat(200_000) + "\r\n\r\n",
                "GET /v1/files/\u00ff\u00fe HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer " + key + "\r\n\r\n",
                "GET /v1/files/file-\u00e9t\u00e9 HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer " + key + "\r\n\r\n",
                "GET /v1/files/..%2F..%2Fadmin%2Fteams HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer " + key + "\r\n\r\n",
                "GET /v1/datasets/%2e%2e HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer " + key + "\r\n\r\n");
        for (String request : requests) {
            String shown = request.substring(0, Math.min(60, request.indexOf('\r')));
            try (RawHttp http = connect()) {
                RawHttp.Answer answer = http.send(request).read(PROMPTLY);
                assertThat(answer).as(shown).isNotNull();
                assertThat(answer.status()).as(shown + ": " + answer.body()).isBetween(400, 499);
            }
            given().get("/q/health/live").then().statusCode(200);
        }
    }

    @Test
    void readinessNamesEachBackendAndIsDownWhileOneIs() {
        JsonPath health = given().get("/q/health/ready").then().statusCode(503).extract().jsonPath();
        Map<String, Object> backends = health.getMap("checks.find { it.name == 'backends' }.data");
        assertThat(health.getString("checks.find { it.name == 'backends' }.status")).isEqualTo("DOWN");
        assertThat(backends).containsEntry("dataset", "UP").containsEntry("trainer", "UP")
                .containsEntry("eval", "unreachable").containsKey("registry");
    }

    private static RawHttp connect() throws IOException {
        return new RawHttp(URI.create(RestAssured.baseURI).getHost(), RestAssured.port);
    }

    private static String uploadHead(long length) {
        return "POST /v1/files/upload HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer " + key
                + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + length + "\r\n\r\n";
    }
}
