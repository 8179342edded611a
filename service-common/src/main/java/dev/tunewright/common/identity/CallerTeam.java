package dev.tunewright.common.identity;

import dev.tunewright.common.rest.ApiException;
import jakarta.enterprise.context.RequestScoped;

/**
 * The team of the current request. Resources scope every query by {@link #teamId()}, so an object of another team
 * is simply not found (404) rather than forbidden, which would confirm that it exists.
 */
@RequestScoped
public class CallerTeam {

    private TeamIdentity identity;

    /** Called by the authentication filter (identity header in services, API key in the gateway), nothing else. */
    public void authenticate(TeamIdentity identity) {
        this.identity = identity;
    }

    public boolean isAuthenticated() {
        return identity != null;
    }

    public String teamId() {
        return require().teamId();
    }

    public String teamName() {
        return require().teamName();
    }

    public TeamIdentity identity() {
        return require();
    }

    private TeamIdentity require() {
        if (identity == null) {
            throw ApiException.unauthorized("invalid_identity", "no authenticated team for this request");
        }
        return identity;
    }
}
