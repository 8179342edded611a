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
import io.restassured.response.Response;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The packaged gateway holding teams to their limits ({@link HardenedGateway}: 8 requests at once and 60 a minute,
 * 2 uploads in flight, 1 KiB JSON bodies, 2 KiB chat completions, uploads unlimited) and logging every request.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(InfrastructureResource.class)
@QuarkusTestResource(TestBackend.class)
@TestProfile(HardenedGateway.class)
class GatewayLimitsIT {

    private static final Duration PROMPTLY = Duration.ofSeconds(10);
    /** Where @QuarkusIntegrationTest sends the packaged gateway's output. */
    private static final Path GATEWAY_LOG = Path.of("target", "quarkus.log");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aTeamOverItsRequestRateGets429WithRetryAfterWhileOtherTeamsGoOn() {
        String key = newTeamKey("rate");
        long started = System.nanoTime();
        int accepted = 0;
        Response refused = null;
        for (int i = 0; i < 60 && refused == null; i++) {
            Response response = given().header("Authorization", "Bearer " + key).when().get("/v1/datasets");
            if (response.statusCode() == 429) {
                refused = response;
            } else {
                assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
                accepted++;
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(refused).as("a 429 within 60 requests").isNotNull();
        // The burst, plus what refilled at one a second while the requests ran.
        assertThat(accepted).isBetween(HardenedGateway.BURST, HardenedGateway.BURST + (int) Math.ceil(seconds) + 1);
        assertThat(refused.header("Retry-After")).isEqualTo("1");
        JsonPath error = refused.jsonPath();
        assertThat(error.getString("error.type")).isEqualTo("rate_limit_error");
        assertThat(error.getString("error.code")).isEqualTo("rate_limit_exceeded");
        assertThat(error.getString("error.message")).contains("60 requests a minute")
                .contains("tunewright.gateway.limits.requests-per-minute");
        assertThat(refused.header("X-Request-Id")).isNotBlank();

        given().header("Authorization", "Bearer " + newTeamKey("other")).when().get("/v1/datasets")
                .then().statusCode(200);
        // Waiting what Retry-After said is enough: the bucket refills one request a second.
        pause(Duration.ofSeconds(Long.parseLong(refused.header("Retry-After"))));
        given().header("Authorization", "Bearer " + key).when().get("/v1/datasets").then().statusCode(200);
    }

    @Test
    void aTeamWithAllItsUploadSlotsTakenGets429UntilOneFinishes() throws Exception {
        String key = newTeamKey("uploads");
        control("hold-uploads");
        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        try {
            for (int i = 0; i < HardenedGateway.UPLOADS; i++) {
                held.add(upload(key));
            }
            assertThat(eventually(() -> heldUploads() == HardenedGateway.UPLOADS)).as("both uploads reached the backend")
                    .isTrue();

            HttpResponse<String> third = upload(key).get();
            assertThat(third.statusCode()).as(third.body()).isEqualTo(429);
            assertThat(third.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(JsonPath.from(third.body()).getString("error.code")).isEqualTo("too_many_uploads");
            assertThat(third.body()).contains("2 uploads in flight").contains("tunewright.gateway.limits.concurrent-uploads");

            held.add(upload(newTeamKey("neighbour")));
            assertThat(eventually(() -> heldUploads() == HardenedGateway.UPLOADS + 1))
                    .as("another team's upload is not held back by this team's").isTrue();
        } finally {
            control("release-uploads");
        }
        for (CompletableFuture<HttpResponse<String>> upload : held) {
            assertThat(upload.get().statusCode()).as(upload.get().body()).isEqualTo(200);
        }
        HttpResponse<String> again = upload(key).get();
        assertThat(again.statusCode()).as("a slot is free again once an upload finished: " + again.body()).isEqualTo(200);
    }

    @Test
    void bodiesOverThePathsLimitGet413NamingItAndTheConnectionIsClosed() throws IOException {
        String key = newTeamKey("bodies");
        String small = "{\"model\":\"m\"}";
        given().header("Authorization", "Bearer " + key).contentType("application/json").body(small)
                .when().post("/v1/fine_tuning/jobs").then().statusCode(200);

        try (RawHttp raw = connect()) {
            RawHttp.Answer answer = raw.send(post("/v1/fine_tuning/jobs", key, "Content-Length: 2000\r\n")).read(PROMPTLY);
            assertThat(answer).isNotNull();
            assertThat(answer.status()).as(answer.body()).isEqualTo(413);
            JsonPath error = JsonPath.from(answer.body());
            assertThat(error.getString("error.code")).isEqualTo("request_too_large");
            assertThat(error.getString("error.message")).contains("2000 bytes").contains("1 KiB")
                    .contains("tunewright.gateway.limits.max-body");
            assertThat(raw.closedWithin(PROMPTLY)).as("the unread body is not waited for").isTrue();
        }

        try (RawHttp raw = connect()) {
            raw.send(post("/v1/fine_tuning/jobs", key, "Transfer-Encoding: chunked\r\n"));
            String chunk = "x".repeat(700);
            RawHttp.Answer answer = null;
            for (int i = 0; i < 4 && answer == null; i++) {
                try {
                    raw.send(Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");
                } catch (IOException closed) {
                    break;
                }
                answer = raw.read(Duration.ofMillis(500));
            }
            answer = answer != null ? answer : raw.read(PROMPTLY);
            assertThat(answer).as("an answer to a chunked body over the limit").isNotNull();
            assertThat(answer.status()).as(answer.body()).isEqualTo(413);
            assertThat(answer.body()).contains("larger than 1 KiB");
        }

        // The chat route has a limit of its own; the eval backend is down, so passing the limit means a 502.
        assertThat(postBytes("/v1/chat/completions", key, 1500).statusCode()).isEqualTo(502);
        Response chat = postBytes("/v1/chat/completions", key, 3000);
        assertThat(chat.statusCode()).isEqualTo(413);
        assertThat(chat.jsonPath().getString("error.message")).contains("2 KiB").contains("(/v1/chat/completions)");

        // Uploads are the service's to limit.
        Response upload = given().header("Authorization", "Bearer " + key).contentType("application/octet-stream")
                .body(new byte[256 * 1024]).when().post("/v1/files/upload");
        assertThat(upload.statusCode()).isEqualTo(200);
        assertThat(upload.jsonPath().getLong("bytes")).isEqualTo(256L * 1024);
    }

    @Test
    void everyRequestGetsOneAccessLogLineAndClientTextCannotBreakIt() throws Exception {
        String name = GatewayFixtures.uniqueName("logged");
        String key = GatewayFixtures.createTeam(name).getString("api_key.key");
        String id = "log-" + UUID.randomUUID();
        given().header("Authorization", "Bearer " + key).header("X-Request-Id", id + "-ok").urlEncodingEnabled(false)
                .when().get("/v1/files/file-1?limit=5").then().statusCode(200);
        given().header("X-Request-Id", id + "-nokey").when().get("/v1/datasets").then().statusCode(401);
        given().header("X-Request-Id", id + "-admin").header("Authorization", GatewayFixtures.ADMIN)
                .when().get("/admin/teams").then().statusCode(200);
        given().header("Authorization", "Bearer " + key).header("X-Request-Id", id + "-me").when().get("/v1/me")
                .then().statusCode(200);
        try (RawHttp raw = connect()) {
            raw.send(("GET /v1/../admin/teams HTTP/1.1\r\nHost: g\r\nX-Request-Id: " + id + "-dots\r\n\r\n")).read(PROMPTLY);
        }
        // A quote or a backslash in the request line never reaches the gateway's code: Quarkus answers a bare 400 to
        // a request target that is not a valid URI, before any route (so this log cannot see it either).
        try (RawHttp raw = connect()) {
            RawHttp.Answer answer = raw.send(("GET /v1/files/a\"b\\c HTTP/1.1\r\nHost: g\r\nAuthorization: Bearer " + key
                    + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1)).read(PROMPTLY);
            assertThat(answer).isNotNull();
            assertThat(answer.status()).isEqualTo(400);
        }
        // Bytes outside ASCII (here not even UTF-8) do reach it; the gateway refuses them before signing anything,
        // and logs them inside one quoted value.
        byte[] hostile = ("GET /v1/files/a\u00ff\u00fe?q=%22x%22 HTTP/1.1\r\nHost: g\r\nAuthorization: Bearer " + key
                + "\r\nX-Request-Id: " + id + "-hostile\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        int hostileStatus;
        try (RawHttp raw = connect()) {
            RawHttp.Answer answer = raw.send(hostile).read(PROMPTLY);
            assertThat(answer).isNotNull();
            hostileStatus = answer.status();
            assertThat(hostileStatus).as(answer.body()).isEqualTo(400);
            assertThat(JsonPath.from(answer.body()).getString("error.code")).isEqualTo("invalid_path");
        }

        List<String> lines = new ArrayList<>();
        assertThat(eventually(() -> {
            lines.clear();
            lines.addAll(accessLines(id));
            return lines.size() >= 6;
        })).as("six access log lines for %s in %s, found %s", id, GATEWAY_LOG, lines).isTrue();
        assertThat(line(lines, id + "-ok")).contains("team=" + name).contains("method=GET")
                .contains("path=\"/v1/files/file-1?limit=5\"").contains("status=200").containsPattern("bytes_out=[1-9]")
                .containsPattern("duration_ms=[0-9.]+");
        assertThat(line(lines, id + "-nokey")).contains("team=-").contains("status=401");
        assertThat(line(lines, id + "-admin")).contains("team=(admin)").contains("path=\"/admin/teams\"");
        assertThat(line(lines, id + "-me")).contains("team=" + name).contains("status=200");
        assertThat(line(lines, id + "-dots")).contains("status=400").contains("path=\"/v1/../admin/teams\"");
        String logged = line(lines, id + "-hostile");
        // (How the two bytes show depends on the log file's charset; that they stay inside the quotes does not.)
        assertThat(logged).contains("status=" + hostileStatus).containsPattern("path=\"/v1/files/a..\\?q=%22x%22\" ");
        assertThat(logged.split(" path=")[1]).as("the path is one quoted value").startsWith("\"");
    }

    private String newTeamKey(String stem) {
        return GatewayFixtures.createTeam(GatewayFixtures.uniqueName(stem)).getString("api_key.key");
    }

    private CompletableFuture<HttpResponse<String>> upload(String key) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/v1/files"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString("{\"purpose\":\"fine-tune\"}")).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    private static Response postBytes(String path, String key, int size) {
        return given().header("Authorization", "Bearer " + key).contentType("application/json")
                .body("\"" + "y".repeat(size - 2) + "\"").when().post(path);
    }

    private static String post(String path, String key, String lengthHeader) {
        return "POST " + path + " HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer " + key
                + "\r\nContent-Type: application/json\r\n" + lengthHeader + "\r\n";
    }

    private static void control(String what) throws Exception {
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(backendUrl() + "/control/" + what))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    }

    private static int heldUploads() {
        try {
            return Integer.parseInt(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(backendUrl() + "/control/held-uploads")).build(), HttpResponse.BodyHandlers.ofString()).body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String backendUrl() {
        return ConfigProvider.getConfig().getValue("test.backend.url", String.class);
    }

    private static List<String> accessLines(String id) {
        try {
            return Files.readAllLines(GATEWAY_LOG, StandardCharsets.UTF_8).stream()
                    .filter(l -> l.contains("request_id=" + id)).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String line(List<String> lines, String requestId) {
        return lines.stream().filter(l -> l.contains("request_id=" + requestId + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no access log line for " + requestId + " in " + lines));
    }

    /** Waits as long as the gateway told the client to, the one wait a rate-limited client must make. */
    private static void pause(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Polls for up to 15 s; the things waited for here take milliseconds unless something is wrong. */
    private static boolean eventually(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }

    private static RawHttp connect() throws IOException {
        return new RawHttp(URI.create(RestAssured.baseURI).getHost(), RestAssured.port);
    }
}
