package dev.tunewright.gateway.rest;

import dev.tunewright.common.rest.ApiError;
import dev.tunewright.gateway.access.AccessLog;
import dev.tunewright.gateway.service.AdminTokens;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

/** Guards {@link AdminApi} resources: 403 while the admin API is disabled, 401 for a missing or wrong token. */
@Provider
@AdminApi
@Priority(Priorities.AUTHENTICATION)
public class AdminTokenFilter implements ContainerRequestFilter {

    private final AdminTokens tokens;
    private final RoutingContext routing;

    public AdminTokenFilter(AdminTokens tokens, RoutingContext routing) {
        this.tokens = tokens;
        this.routing = routing;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        switch (tokens.check(request.getHeaderString(HttpHeaders.AUTHORIZATION))) {
            case DISABLED -> request.abortWith(error(403, ApiError.of("permission_error", "admin_disabled", null,
                    "admin API disabled: set TUNEWRIGHT_ADMIN_TOKEN on the gateway")));
            case REJECTED -> request.abortWith(error(401, ApiError.of("authentication_error", "invalid_admin_token",
                    null, "missing or invalid admin token")));
            case ACCEPTED -> AccessLog.team(routing, AccessLog.ADMIN);
        }
    }

    private static Response error(int status, ApiError error) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(error).build();
    }
}
