package dev.tunewright.registry.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tunewright.common.identity.CallerTeam;
import dev.tunewright.common.rest.ApiException;
import dev.tunewright.registry.service.TeamNamespaceService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;

/** The caller's namespace: where its adapters are published. 404 until the registry has heard of the team. */
@Path("/v1/registry/namespace")
@Produces(MediaType.APPLICATION_JSON)
public class NamespaceResource {

    public record NamespaceView(@JsonProperty("team_id") String teamId, @JsonProperty("team_name") String teamName,
            @JsonProperty("created_at") Instant createdAt) {
    }

    private final TeamNamespaceService namespaces;
    private final CallerTeam caller;

    public NamespaceResource(TeamNamespaceService namespaces, CallerTeam caller) {
        this.namespaces = namespaces;
        this.caller = caller;
    }

    @GET
    public NamespaceView get() {
        return namespaces.of(caller.teamId())
                .map(n -> new NamespaceView(n.teamId, n.teamName, n.createdAt))
                .orElseThrow(() -> ApiException.notFound("namespace of team", caller.teamId()));
    }
}
