package dev.tunewright.common.identity;

import dev.tunewright.common.rest.ApiError;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import org.jboss.logging.Logger;

/**
 * Accepts a request only with a valid {@value IdentitySigner#HEADER} for its method and path. Pre-matching, so that
 * an unauthenticated caller learns nothing about which paths exist. {@code /q/*} (health, metrics, OpenAPI) stays
 * open for probes and operators.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public class IdentityFilter implements ContainerRequestFilter {

    private static final Logger LOG = Logger.getLogger(IdentityFilter.class);

    private final IdentityKeys keys;
    private final CallerTeam callerTeam;
    private final CurrentVertxRequest currentRequest;

    /** Only normal-scoped (proxied, lazily created) beans: filters are instantiated during static init. */
    public IdentityFilter(IdentityKeys keys, CallerTeam callerTeam, CurrentVertxRequest currentRequest) {
        this.keys = keys;
        this.callerTeam = callerTeam;
        this.currentRequest = currentRequest;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (!keys.enforce()) {
            return;
        }
        String rawPath = signedPath(request, currentRequest);
        if (isOpen(rawPath)) {
            return;
        }
        try {
            TeamIdentity team = keys.signer().verify(request.getHeaderString(IdentitySigner.HEADER),
                    request.getMethod(), rawPath);
            callerTeam.authenticate(team);
        } catch (IdentityRejectedException e) {
            LOG.debugf("rejected %s %s: %s", request.getMethod(), rawPath, e.getMessage());
            request.abortWith(Response.status(Response.Status.UNAUTHORIZED)
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(ApiError.of("authentication_error", "invalid_identity", null, e.getMessage()))
                    .build());
        }
    }

    /**
     * The path the gateway signed: Vert.x's raw request path, exactly as the gateway's Vert.x proxy saw and forwarded
     * it. JAX-RS's request URI is only the fallback, because Quarkus REST drops matrix parameters ({@code ;v=1}) from
     * it and the signature would then never match.
     */
    public static String signedPath(ContainerRequestContext request, CurrentVertxRequest currentRequest) {
        RoutingContext routing = currentRequest == null ? null : currentRequest.getCurrent();
        return routing != null ? routing.request().path() : request.getUriInfo().getRequestUri().getRawPath();
    }

    /** Paths served without an identity: the Quarkus management endpoints under {@code /q}. */
    static boolean isOpen(String rawPath) {
        return rawPath != null && (rawPath.equals("/q") || rawPath.startsWith("/q/"));
    }
}
