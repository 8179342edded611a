package dev.tunewright.registry.rest;

import dev.tunewright.common.identity.CallerTeam;
import dev.tunewright.common.rest.ListPage;
import dev.tunewright.registry.repository.Adapter;
import dev.tunewright.registry.repository.AdapterRepository;
import dev.tunewright.registry.repository.AdapterVersion;
import dev.tunewright.registry.service.AdapterLookup;
import dev.tunewright.registry.service.AdapterService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** The caller's adapters; other teams' adapters do not exist here (404). */
@Path("/v1/adapters")
@Produces(MediaType.APPLICATION_JSON)
public class AdapterResource {

    /** The editable fields of an adapter; absent fields stay as they are. */
    public record AdapterUpdate(String description, List<String> tags) {
    }

    private final AdapterService service;
    private final AdapterLookup lookup;
    private final AdapterViews views;
    private final CallerTeam caller;

    public AdapterResource(AdapterService service, AdapterLookup lookup, AdapterViews views, CallerTeam caller) {
        this.service = service;
        this.lookup = lookup;
        this.views = views;
        this.caller = caller;
    }

    /** Newest first; filters match an adapter when any of its versions matches. */
    @GET
    public ListPage<Views.Adapter> list(@QueryParam("base_model") String baseModel, @QueryParam("alias") String alias,
            @QueryParam("tag") String tag, @QueryParam("metric") String metric, @QueryParam("metric_min") Double metricMin,
            @QueryParam("after") String after, @QueryParam("limit") @DefaultValue("20") int limit) {
        AdapterService.Page page = service.page(caller.teamId(),
                new AdapterRepository.Filter(baseModel, alias, tag, metric, metricMin), after, limit);
        return ListPage.of(page.adapters().stream().map(a -> views.adapter(a, false)).toList(), page.hasMore());
    }

    /** {@code name}: the adapter with all its versions; {@code name@alias}: the version the alias points to. */
    @GET
    @Path("{name}")
    public Object get(@PathParam("name") String name) {
        int at = name.lastIndexOf('@');
        if (at > 0) {
            String adapterName = name.substring(0, at);
            AdapterVersion version = service.resolve(caller.teamId(), adapterName, name.substring(at + 1));
            return views.version(lookup.adapter(caller.teamId(), adapterName), version);
        }
        return views.adapter(lookup.adapter(caller.teamId(), name), true);
    }

    @PATCH
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Views.Adapter update(@PathParam("name") String name, AdapterUpdate update) {
        AdapterUpdate body = update == null ? new AdapterUpdate(null, null) : update;
        Adapter adapter = service.update(caller.teamId(), name, body.description(), body.tags());
        return views.adapter(adapter, true);
    }
}
