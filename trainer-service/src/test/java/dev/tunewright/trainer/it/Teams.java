package dev.tunewright.trainer.it;

import dev.tunewright.common.identity.TeamIdentity;
import dev.tunewright.testing.TeamRequests;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.Map;

/**
 * The trainer's requests as a team of the test's own, signed by {@link TeamRequests} as the gateway would sign them
 * (method, raw path and raw query).
 */
public final class Teams {

    private Teams() {
    }

    public static TeamIdentity newTeam(String name) {
        return TeamRequests.newTeam(name);
    }

    public static Response get(TeamIdentity team, String pathAndQuery) {
        return TeamRequests.as(team).urlEncodingEnabled(false).get(pathAndQuery);
    }

    public static Response post(TeamIdentity team, String path, Object body) {
        var request = TeamRequests.as(team);
        if (body != null) {
            request = request.contentType(ContentType.JSON).body(body);
        }
        return request.post(path);
    }

    public static Response createJob(TeamIdentity team, Map<String, Object> body) {
        return post(team, "/v1/fine_tuning/jobs", body);
    }
}
