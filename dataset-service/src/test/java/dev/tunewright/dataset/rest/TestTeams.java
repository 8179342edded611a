package dev.tunewright.dataset.rest;

import static io.restassured.RestAssured.given;

import dev.tunewright.common.identity.IdentitySigner;
import dev.tunewright.common.identity.TeamIdentity;
import dev.tunewright.testing.InfrastructureResource;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.UUID;

/** Signs requests as the gateway would, for a team of the test's own. */
final class TestTeams {

    private static final IdentitySigner SIGNER = new IdentitySigner(InfrastructureResource.IDENTITY_SECRET,
            Duration.ofMinutes(5));

    private TestTeams() {
    }

    static TeamIdentity newTeam(String name) {
        return new TeamIdentity(UUID.randomUUID().toString(), name);
    }

    static String sign(TeamIdentity team, String method, String path) {
        return SIGNER.sign(team, method, path);
    }

    /** A request carrying the signed identity for this method and path (the path without its query). */
    static RequestSpecification as(TeamIdentity team, String method, String path) {
        return given().header(IdentitySigner.HEADER, SIGNER.sign(team, method, path));
    }
}
