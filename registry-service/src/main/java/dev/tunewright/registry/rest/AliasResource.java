package dev.tunewright.registry.rest;

import dev.tunewright.common.identity.CallerTeam;
import dev.tunewright.common.rest.ApiException;
import dev.tunewright.registry.repository.Adapter;
import dev.tunewright.registry.repository.AdapterAliasRepository;
import dev.tunewright.registry.repository.AliasMoveRepository;
import dev.tunewright.registry.service.AdapterLookup;
import dev.tunewright.registry.service.AliasService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** Aliases of the caller's adapters: read with their audit history, moved through the gate, removed. */
@Path("/v1/adapters/{name}/aliases/{alias}")
@Produces(MediaType.APPLICATION_JSON)
public class AliasResource {

    static final int HISTORY = 100;

    /** @param force override the gate's refusals (never a failed readiness check); needs a reason */
    public record AliasRequest(Integer version, String reason, Boolean force) {
    }

    private final AliasService service;
    private final AdapterLookup lookup;
    private final AdapterAliasRepository aliases;
    private final AliasMoveRepository moves;
    private final AdapterViews views;
    private final CallerTeam caller;

    public AliasResource(AliasService service, AdapterLookup lookup, AdapterAliasRepository aliases,
            AliasMoveRepository moves, AdapterViews views, CallerTeam caller) {
        this.service = service;
        this.lookup = lookup;
        this.aliases = aliases;
        this.moves = moves;
        this.views = views;
        this.caller = caller;
    }

    /** The alias and its moves, newest first. */
    @GET
    public Views.Alias get(@PathParam("name") String name, @PathParam("alias") String alias) {
        Adapter adapter = lookup.adapter(caller.teamId(), name);
        return aliases.of(adapter.id, alias).map(a -> views.alias(adapter, a, moves.history(adapter.id, alias, HISTORY)))
                .orElseThrow(() -> ApiException.notFound("alias", name + "@" + alias));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public Views.Alias move(@PathParam("name") String name, @PathParam("alias") String alias, AliasRequest request) {
        AliasRequest body = request == null ? new AliasRequest(null, null, null) : request;
        AliasService.Outcome outcome = service.move(caller.identity(), name, alias, body.version(), body.reason(),
                Boolean.TRUE.equals(body.force()));
        return views.moved(outcome.adapter(), outcome.alias(), outcome.move(), alias);
    }

    @DELETE
    public Views.Alias remove(@PathParam("name") String name, @PathParam("alias") String alias,
            @QueryParam("reason") String reason) {
        AliasService.Outcome outcome = service.remove(caller.identity(), name, alias, reason);
        return views.moved(outcome.adapter(), null, outcome.move(), alias);
    }
}
