package dev.tunewright.gateway.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.tunewright.testing.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reverse proxy against a real backend server: identity, request ids, errors and streaming both ways. */
@QuarkusTest
@QuarkusTestResource(InfrastructureResource.class)
@QuarkusTestResource(TestBackend.class)
class ProxyIT {

    private static final long UPLOAD_BYTES = 64L * 1024 * 1024;
    private static final int FIRST_CHUNK = 1024 * 1024;

    @ConfigProperty(name = "test.backend.url")
    String backendUrl;

    @TestHTTPResource("/")
    URI gateway;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String teamId;
    private String teamName;
    private String key;

    @BeforeEach
    void team() {
        teamName = GatewayFixtures.uniqueName("proxy");
        JsonPath team = GatewayFixtures.createTeam(teamName);
        teamId = team.getString("id");
        key = team.getString("api_key.key");
    }

    @Test
    void forwardsSignedIdentityAndRequestIdButNeitherKeyNorForgedIdentity() {
        Response response = given()
                .header("Authorization", "Bearer " + key)
                .header("X-Tunewright-Identity", "v1.someone-else.ZXZpbA.1.Zm9yZ2Vk")
                .header("X-Request-Id", "it-request-1")
                .urlEncodingEnabled(false)
                .when().get("/v1/files/abc%20def?purpose=fine-tune")
                .then().statusCode(200)
                .extract().response();

        JsonPath seen = response.jsonPath();
        assertThat(seen.getString("path")).isEqualTo("/v1/files/abc%20def");
        assertThat(seen.getString("query")).isEqualTo("purpose=fine-tune");
        assertThat(seen.getString("verified")).isEqualTo(teamId + "/" + teamName);
        assertThat(seen.getInt("identity_headers")).isEqualTo(1);
        assertThat(seen.getBoolean("authorization")).isFalse();
        assertThat(seen.getString("request_id")).isEqualTo("it-request-1");
        assertThat(response.headers().getValues("X-Request-Id")).containsExactly("it-request-1");
    }

    @Test
    void generatesARequestIdWhenAbsent() {
        Response response = given().header("Authorization", "Bearer " + key)
                .when().post("/v1/fine_tuning/jobs")
                .then().statusCode(200).extract().response();

        String id = response.header("X-Request-Id");
        assertThat(UUID.fromString(id)).isNotNull();
        assertThat(response.jsonPath().getString("request_id")).isEqualTo(id);
        assertThat(response.jsonPath().getString("method")).isEqualTo("POST");
        assertThat(response.jsonPath().getString("verified")).isEqualTo(teamId + "/" + teamName);
    }

    @Test
    void refusesMissingOrUnknownKeys() {
        given().when().get("/v1/files")
                .then().statusCode(401)
                .body("error.type", equalTo("authentication_error"))
                .body("error.code", equalTo("invalid_api_key"))
                .body("error.param", equalTo(null));
        given().header("Authorization", "Bearer twk_" + "Z".repeat(40)).when().get("/v1/datasets")
                .then().statusCode(401);
        given().header("Authorization", "Bearer not-a-key").when().get("/v1/datasets")
                .then().statusCode(401);
    }

    @Test
    void answersJsonForUnknownRoutesUnsafePathsAndDownBackends() {
        given().header("Authorization", "Bearer " + key).when().get("/v1/nothing-here")
                .then().statusCode(404)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.code", equalTo("unknown_url"));
        given().header("Authorization", "Bearer " + key).urlEncodingEnabled(false)
                .when().get("/v1/files/%2e%2e/admin")
                .then().statusCode(400).body("error.code", equalTo("invalid_path"));
        given().header("Authorization", "Bearer " + key).header("X-Request-Id", "down-1")
                .when().get("/v1/evaluations")
                .then().statusCode(502)
                .header("X-Request-Id", "down-1")
                .body("error.type", equalTo("server_error"))
                .body("error.code", equalTo("backend_unavailable"));
    }

    /**
     * The client sends the first megabyte, then blocks until the backend says it has received bytes, and only then
     * sends the remaining 63 MB. A gateway that buffered the body would never forward the first bytes while the
     * client waits, and the upload would fail.
     */
    @Test
    void streamsLargeUploadsWhileTheClientIsStillSending() throws Exception {
        URI started = URI.create(backendUrl + "/control/upload-started");
        GeneratedBody body = new GeneratedBody(UPLOAD_BYTES, FIRST_CHUNK, () -> {
            HttpResponse<Void> signal = http.send(HttpRequest.newBuilder(started).timeout(Duration.ofSeconds(40))
                    .GET().build(), HttpResponse.BodyHandlers.discarding());
            if (signal.statusCode() != 200) {
                throw new IOException("backend saw no bytes while the client held back the rest of the body");
            }
        });
        HttpRequest upload = HttpRequest.newBuilder(gateway.resolve("/v1/files/upload"))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body),
                        UPLOAD_BYTES))
                .build();

        HttpResponse<String> response = http.send(upload, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(body.waitedForBackend).as("client waited for the backend mid-body").isTrue();
        JsonPath received = JsonPath.from(response.body());
        assertThat(received.getLong("bytes")).isEqualTo(UPLOAD_BYTES);
        assertThat(received.getLong("crc32")).isEqualTo(body.crc.getValue());
    }

    /** The backend sends the first event and sends the rest only after the client confirms it received it. */
    @Test
    void streamsServerSentEventsOneByOne() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(gateway.resolve("/v1/fine_tuning/jobs/job-1/events"))
                .header("Authorization", "Bearer " + key)
                .header("Accept", "text/event-stream")
                .GET().build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");

        List<String> data = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("data: ")) {
                    data.add(line.substring(6));
                    if (data.size() == 1) {
                        HttpResponse<Void> ack = http.send(HttpRequest.newBuilder(
                                        URI.create(backendUrl + "/control/first-event-received"))
                                .POST(HttpRequest.BodyPublishers.noBody()).build(),
                                HttpResponse.BodyHandlers.discarding());
                        assertThat(ack.statusCode()).isEqualTo(200);
                    }
                }
            }
        }
        assertThat(data).containsExactly("{\"step\":1}", "{\"step\":2}", "{\"step\":3}", "{}");
    }

    /** Deterministic bytes with a pause after the first chunk; keeps a CRC of everything handed out. */
    private static final class GeneratedBody extends InputStream {

        interface Pause {
            void await() throws IOException, InterruptedException;
        }

        private final long length;
        private final long pauseAt;
        private final Pause pause;
        final CRC32 crc = new CRC32();
        volatile boolean waitedForBackend;
        private long position;

        GeneratedBody(long length, long pauseAt, Pause pause) {
            this.length = length;
            this.pauseAt = pauseAt;
            this.pause = pause;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int len) throws IOException {
            if (position >= length) {
                return -1;
            }
            if (position == pauseAt && !waitedForBackend) {
                try {
                    pause.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
                waitedForBackend = true;
            }
            long limit = position < pauseAt ? pauseAt : length;
            int n = (int) Math.min(len, limit - position);
            for (int i = 0; i < n; i++) {
                long p = position + i;
                buffer[offset + i] = (byte) (p * 31 + (p >>> 13));
            }
            crc.update(buffer, offset, n);
            position += n;
            return n;
        }
    }
}
