package dev.tunewright.dataset.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunewright.common.identity.IdentitySigner;
import dev.tunewright.common.identity.TeamIdentity;
import dev.tunewright.testing.InfrastructureResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The probe an attacker would run against a service reached around the gateway, measured on the packaged service:
 * how many cross-team accesses succeed and how many forged identity headers are refused. The numbers are printed for
 * docs/security.md.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(InfrastructureResource.class)
class SecurityProbeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TARGET = "/v1/files?limit=5";
    private static final IdentitySigner SIGNER = new IdentitySigner(InfrastructureResource.IDENTITY_SECRET, Duration.ofSeconds(30));

    @Test
    void noTeamReachesAnotherTeamsFilesOrDatasets() throws Exception {
        TeamIdentity owner = TestTeams.newTeam("owner");
        TeamIdentity other = TestTeams.newTeam("other");
        String content = DatasetFlowIT.classificationFile(40);
        String file = id(SignedHttp.upload(owner, new Multipart().field("purpose", "fine-tune").file("o.jsonl", content)));
        String dataset = id(SignedHttp.send(post(owner, "/v1/datasets", "{\"file_id\":\"" + file + "\"}")));
        String ownFile = id(SignedHttp.upload(other, new Multipart().field("purpose", "fine-tune").file("x.jsonl", content)));

        Map<String, Supplier<Boolean>> attempts = new LinkedHashMap<>();
        for (String path : List.of("/v1/files/" + file, "/v1/files/" + file + "/content", "/v1/datasets/" + dataset,
                "/v1/datasets/" + dataset + "/splits/train", "/v1/datasets/" + dataset + "/splits/validation",
                "/v1/datasets/" + dataset + "/report")) {
            attempts.put("GET " + path, () -> SignedHttp.send(get(other, path)).statusCode() != 404);
        }
        attempts.put("DELETE /v1/files/" + file, () -> SignedHttp.send(SignedHttp.request(other, "DELETE", "/v1/files/" + file)
                .DELETE().build()).statusCode() != 404);
        attempts.put("dataset from the file", () -> SignedHttp.send(post(other, "/v1/datasets",
                "{\"file_id\":\"" + file + "\"}")).statusCode() != 404);
        attempts.put("dataset validated on the file", () -> SignedHttp.send(post(other, "/v1/datasets",
                "{\"file_id\":\"" + ownFile + "\",\"validation_file_id\":\"" + file + "\"}")).statusCode() != 404);
        for (String list : List.of("/v1/files", "/v1/files?limit=100", "/v1/datasets", "/v1/datasets?limit=100")) {
            attempts.put("GET " + list, () -> {
                String body = SignedHttp.send(get(other, list)).body();
                return body.contains(file) || body.contains(dataset);
            });
        }

        List<String> succeeded = new ArrayList<>();
        attempts.forEach((what, attempt) -> {
            if (attempt.get()) {
                succeeded.add(what);
            }
        });
        System.out.printf("isolation: %d/%d cross-team accesses succeeded%n", succeeded.size(), attempts.size());
        assertThat(succeeded).isEmpty();
        assertThat(SignedHttp.send(get(owner, "/v1/files/" + file + "/content")).body()).isEqualTo(content);
        assertThat(SignedHttp.send(get(owner, "/v1/datasets/" + dataset)).statusCode()).isEqualTo(200);
    }

    @Test
    void everyForgedOrReplayedIdentityHeaderIsRefused() throws Exception {
        TeamIdentity team = TestTeams.newTeam("victim");
        String valid = SIGNER.sign(team, "GET", TARGET);
        String[] parts = valid.split("\\.");
        Instant now = Instant.now();

        Map<String, HttpRequest> forged = new LinkedHashMap<>();
        forged.put("no header", SignedHttp.request(null, "GET", TARGET).GET().build());
        forged.put("empty header", withIdentity(TARGET, ""));
        forged.put("not a header", withIdentity(TARGET, "hello"));
        forged.put("version 1, correctly signed", withIdentity(TARGET, versionOne(team, "GET", "/v1/files")));
        forged.put("another secret", withIdentity(TARGET, new IdentitySigner("guessed-secret", Duration.ofSeconds(30))
                .sign(team, "GET", TARGET)));
        forged.put("another team id", withIdentity(TARGET, String.join(".", parts[0], "someone-else", parts[2], parts[3], parts[4])));
        forged.put("another team name", withIdentity(TARGET, String.join(".", parts[0], parts[1],
                Base64.getUrlEncoder().withoutPadding().encodeToString("admins".getBytes(StandardCharsets.UTF_8)), parts[3], parts[4])));
        forged.put("another issue time", withIdentity(TARGET, String.join(".", parts[0], parts[1], parts[2],
                Long.toString(Long.parseLong(parts[3]) + 1), parts[4])));
        forged.put("a flipped signature", withIdentity(TARGET, String.join(".", parts[0], parts[1], parts[2], parts[3],
                (parts[4].charAt(0) == 'A' ? "B" : "A") + parts[4].substring(1))));
        forged.put("signed for another path", withIdentity(TARGET, SIGNER.sign(team, "GET", "/v1/datasets?limit=5")));
        forged.put("signed for another method", withIdentity(TARGET, SIGNER.sign(team, "DELETE", TARGET)));
        forged.put("signed for another query", withIdentity(TARGET, SIGNER.sign(team, "GET", "/v1/files?limit=1")));
        forged.put("signed without the query", withIdentity(TARGET, SIGNER.sign(team, "GET", "/v1/files")));
        forged.put("signed with the query, sent without", withIdentity("/v1/files", valid));
        forged.put("signed for the path, sent with a trailing slash", withIdentity("/v1/files/?limit=5", valid));
        forged.put("expired (issued 2 minutes ago)", withIdentity(TARGET, SIGNER.sign(team, "GET", TARGET, now.minusSeconds(120))));
        forged.put("issued in 2 minutes", withIdentity(TARGET, SIGNER.sign(team, "GET", TARGET, now.plusSeconds(120))));
        forged.put("an extra part", withIdentity(TARGET, valid + ".extra"));
        forged.put("no team id", withIdentity(TARGET, String.join(".", parts[0], "", parts[2], parts[3], parts[4])));
        forged.put("valid, through a dot segment", withIdentity("/q/../v1/files?limit=5", valid));

        List<String> accepted = new ArrayList<>();
        forged.forEach((what, request) -> {
            int status = SignedHttp.send(request).statusCode();
            if (status != 401 && status != 400) {
                accepted.add(what + " (" + status + ")");
            }
        });
        System.out.printf("forged identity headers refused: %d/%d%n", forged.size() - accepted.size(), forged.size());
        assertThat(accepted).isEmpty();
        assertThat(SignedHttp.send(withIdentity(TARGET, valid)).statusCode()).as("the genuine header").isEqualTo(200);
    }

    private static HttpRequest withIdentity(String target, String identity) {
        return HttpRequest.newBuilder(SignedHttp.uri(target)).header(IdentitySigner.HEADER, identity).GET().build();
    }

    private static HttpRequest get(TeamIdentity team, String target) {
        return SignedHttp.request(team, "GET", target).GET().build();
    }

    private static HttpRequest post(TeamIdentity team, String path, String json) {
        return SignedHttp.request(team, "POST", path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    private static String id(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
        JsonNode body = JSON.readTree(response.body());
        return body.path("id").asText();
    }

    /** The header as the first version signed it: path only, no query; still valid in every other respect. */
    private static String versionOne(TeamIdentity team, String method, String path) throws Exception {
        String name = Base64.getUrlEncoder().withoutPadding().encodeToString(team.teamName().getBytes(StandardCharsets.UTF_8));
        String seconds = Long.toString(Instant.now().getEpochSecond());
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(InfrastructureResource.IDENTITY_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] signature = mac.doFinal(String.join("\n", "v1", team.teamId(), name, seconds, method, path)
                .getBytes(StandardCharsets.UTF_8));
        return String.join(".", "v1", team.teamId(), name, seconds, Base64.getUrlEncoder().withoutPadding().encodeToString(signature));
    }
}
