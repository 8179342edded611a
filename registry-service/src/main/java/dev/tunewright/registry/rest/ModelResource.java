package dev.tunewright.registry.rest;

import dev.tunewright.common.identity.CallerTeam;
import dev.tunewright.common.rest.ApiException;
import dev.tunewright.common.rest.ListPage;
import dev.tunewright.registry.service.ModelListing;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * OpenAI's models endpoints: the base models this deployment serves and the caller's fine-tuned ({@code ft:}) models.
 * Another team's fine-tuned model does not exist here.
 */
@Path("/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {

    private final ModelListing models;
    private final CallerTeam caller;

    public ModelResource(ModelListing models, CallerTeam caller) {
        this.models = models;
        this.caller = caller;
    }

    @GET
    public ListPage<ModelListing.Model> list() {
        return ListPage.of(models.list(caller.identity()), false);
    }

    /** Base ids contain a slash ({@code org/name}), so the id is the rest of the path. */
    @GET
    @Path("{id: .+}")
    public ModelListing.Model get(@PathParam("id") String id) {
        return models.find(caller.identity(), id).orElseThrow(() -> new ApiException(404, "model_not_found", "model",
                "The model '" + id + "' does not exist or you do not have access to it."));
    }
}
