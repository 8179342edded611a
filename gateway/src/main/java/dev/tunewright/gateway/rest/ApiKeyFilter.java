package dev.tunewright.gateway.rest;

import dev.tunewright.common.identity.CallerTeam;
import dev.tunewright.common.rest.ApiError;
import dev.tunewright.gateway.access.AccessLog;
import dev.tunewright.gateway.service.ApiKeyAuthenticator;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

/**
 * API-key authentication for the gateway's own endpoints; proxied paths are authenticated in the proxy handler.
 * Not pre-matching, so Quarkus REST runs it on the worker thread of the blocking endpoint it guards.
 */
@Provider
@ApiKeyAuth
@Priority(Priorities.AUTHENTICATION)
public class ApiKeyFilter implements ContainerRequestFilter {

    private final ApiKeyAuthenticator authenticator;
    private final CallerTeam callerTeam;
    private final RoutingContext routing;

    public ApiKeyFilter(ApiKeyAuthenticator authenticator, CallerTeam callerTeam, RoutingContext routing) {
        this.authenticator = authenticator;
        this.callerTeam = callerTeam;
        this.routing = routing;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        authenticator.authenticate(request.getHeaderString(HttpHeaders.AUTHORIZATION)).ifPresentOrElse(
                team -> {
                    callerTeam.authenticate(team);
                    AccessLog.team(routing, team.teamName());
                },
                () -> request.abortWith(Response.status(401).type(MediaType.APPLICATION_JSON_TYPE)
                        .entity(ApiKeyFilter.invalidKey()).build()));
    }

    /** The 401 body for a missing, malformed, unknown or revoked key, shaped and worded like OpenAI's. */
    public static ApiError invalidKey() {
        return ApiError.of("authentication_error", "invalid_api_key", null,
                "missing, invalid or revoked API key: send 'Authorization: Bearer twk_...'");
    }
}
