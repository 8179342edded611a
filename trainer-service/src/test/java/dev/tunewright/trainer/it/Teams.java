package dev.tunewright.trainer.it;

import static io.restassured.RestAssured.given;

import dev.tunewright.common.identity.IdentitySigner;
import dev.tunewright.common.identity.TeamIdentity;
import dev.tunewright.testing.InfrastructureResource;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/** Calls the trainer as a team of the test's own, with the identity header the gateway would sign. */
public final class Teams {

    private static final IdentitySigner SIGNER = new IdentitySigner(InfrastructureResource.IDENTITY_SECRET,
            Duration.ofMinutes(5));

    private Teams() {
    }

    public static TeamIdentity newTeam(String name) {
        return new TeamIdentity(UUID.randomUUID().toString(), name);
    }

    public static String sign(TeamIdentity team, String method, String path) {
        return SIGNER.sign(team, method, path);
    }

    public static Response get(TeamIdentity team, String path) {
        String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        return given().header(IdentitySigner.HEADER, sign(team, "GET", bare)).get(path);
    }

    public static Response post(TeamIdentity team, String path, Object body) {
        var request = given().header(IdentitySigner.HEADER, sign(team, "POST", path));
        if (body != null) {
            request = request.contentType(ContentType.JSON).body(body);
        }
        return request.post(path);
    }

    public static Response createJob(TeamIdentity team, Map<String, Object> body) {
        return post(team, "/v1/fine_tuning/jobs", body);
    }
}
