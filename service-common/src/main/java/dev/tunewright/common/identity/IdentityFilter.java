package dev.tunewright.common.identity;

import dev.tunewright.common.rest.ApiError;
import dev.tunewright.common.rest.LogText;
import dev.tunewright.common.rest.RequestGuard;
import dev.tunewright.common.rest.SafePaths;
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
 * Gives the request its {@link CallerTeam}: the team whose valid {@value IdentitySigner#HEADER} for this method, path
 * and query {@link dev.tunewright.common.rest.RequestGuard} already checked on the router, before the body was read.
 * Checks the header itself when no guard ran (a request that reached JAX-RS another way). Pre-matching, so that an
 * unauthenticated caller learns nothing about which paths exist. {@code /q/*} (health, metrics, OpenAPI) stays open
 * for probes and operators.
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
        RoutingContext routing = currentRequest == null ? null : currentRequest.getCurrent();
        String rawPath = signedPath(request, currentRequest);
        if (isOpen(rawPath) && SafePaths.isSafe(rawPath)) {
            return;
        }
        TeamIdentity checked = routing == null ? null : routing.get(RequestGuard.TEAM);
        if (checked != null) {
            callerTeam.authenticate(checked);
            return;
        }
        String query = routing != null ? routing.request().query() : request.getUriInfo().getRequestUri().getRawQuery();
        try {
            callerTeam.authenticate(keys.signer().verify(request.getHeaderString(IdentitySigner.HEADER),
                    request.getMethod(), IdentitySigner.target(rawPath, query)));
        } catch (IdentityRejectedException e) {
            LOG.debugf("rejected %s %s: %s", request.getMethod(), LogText.quote(rawPath), e.getMessage());
            request.abortWith(Response.status(Response.Status.UNAUTHORIZED)
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(rejection(e))
                    .build());
        }
    }

    /** The 401 body for a refused identity header; the reason is safe to show. */
    public static ApiError rejection(IdentityRejectedException e) {
        return ApiError.of("authentication_error", "invalid_identity", null, e.getMessage());
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

    /** Paths served without an identity: the Quarkus management endpoints under {@code /q}, once the path is safe. */
    public static boolean isOpen(String rawPath) {
        return rawPath != null && (rawPath.equals("/q") || rawPath.startsWith("/q/"));
    }
}
