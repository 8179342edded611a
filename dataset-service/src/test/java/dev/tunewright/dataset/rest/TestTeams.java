package dev.tunewright.dataset.rest;

import dev.tunewright.common.identity.TeamIdentity;
import dev.tunewright.testing.TeamRequests;
import io.restassured.specification.RequestSpecification;

/** Signs requests as the gateway would, for a team of the test's own ({@link TeamRequests}). */
final class TestTeams {

    private TestTeams() {
    }

    static TeamIdentity newTeam(String name) {
        return TeamRequests.newTeam(name);
    }

    static String sign(TeamIdentity team, String method, String target) {
        return TeamRequests.sign(team, method, target);
    }

    /** A request of {@code team}, signed for its method, path and query when it is sent. */
    static RequestSpecification as(TeamIdentity team) {
        return TeamRequests.as(team);
    }
}
