package dev.tunewright.gateway.it;

import dev.tunewright.common.identity.IdentityFilter;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;

/** Test-only endpoint: the path service-common's IdentityFilter verifies a signature against. */
@Path("/it/raw-path")
public class RawPathResource {

    private final CurrentVertxRequest currentRequest;

    public RawPathResource(CurrentVertxRequest currentRequest) {
        this.currentRequest = currentRequest;
    }

    @GET
    @Path("{rest: .*}")
    public String rawPath(@Context ContainerRequestContext request) {
        return IdentityFilter.signedPath(request, currentRequest);
    }
}
