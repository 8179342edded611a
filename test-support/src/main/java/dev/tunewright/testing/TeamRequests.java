package dev.tunewright.testing;

import dev.tunewright.common.identity.IdentitySigner;
import dev.tunewright.common.identity.TeamIdentity;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;

/**
 * Calls a service as a team, with the identity header the gateway would send. The header is signed for the request
 * as it finally goes out (method, raw path and raw query, as {@link IdentitySigner} covers them), so a test may add
 * query parameters after choosing the team and still send what a gateway would have signed.
 */
public final class TeamRequests {

    /** Signs with the secret {@link InfrastructureResource} gives the services under test. */
    public static final IdentitySigner SIGNER = new IdentitySigner(InfrastructureResource.IDENTITY_SECRET,
            Duration.ofSeconds(30));

    private TeamRequests() {
    }

    /** A team of the test's own; its random id keeps tests from seeing each other's data. */
    public static TeamIdentity newTeam(String name) {
        return new TeamIdentity(UUID.randomUUID().toString(), name);
    }

    /** A request of {@code team}, signed when it is sent. */
    public static RequestSpecification as(TeamIdentity team) {
        return RestAssured.given().filter(signing(team));
    }

    /** The filter that signs each request it sees for {@code team}. */
    public static Filter signing(TeamIdentity team) {
        return (request, response, context) -> {
            URI uri = URI.create(request.getURI());
            request.removeHeader(IdentitySigner.HEADER);
            request.header(IdentitySigner.HEADER, sign(team, request.getMethod(),
                    IdentitySigner.target(uri.getRawPath(), uri.getRawQuery())));
            return context.next(request, response);
        };
    }

    /** The header for {@code method target}, where the target is the raw path and, if any, {@code ?} raw query. */
    public static String sign(TeamIdentity team, String method, String target) {
        return SIGNER.sign(team, method, target);
    }
}
