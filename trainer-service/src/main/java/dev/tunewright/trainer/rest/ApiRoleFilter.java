package dev.tunewright.trainer.rest;

import dev.tunewright.common.rest.ApiError;
import dev.tunewright.trainer.config.TrainerRoles;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

/** An instance without the {@code api} role (a worker pod) serves no API, only {@code /q} health and metrics. */
@Provider
@PreMatching
public class ApiRoleFilter implements ContainerRequestFilter {

    private final TrainerRoles roles;

    public ApiRoleFilter(TrainerRoles roles) {
        this.roles = roles;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (!roles.api() && request.getUriInfo().getPath().startsWith("/v1/")) {
            request.abortWith(Response.status(404).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(ApiError.of("invalid_request_error", "not_served_here", null,
                            "this trainer instance runs the worker role only (tunewright.trainer.roles)"))
                    .build());
        }
    }
}
