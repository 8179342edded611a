package dev.tunewright.dataset.rest;

import dev.tunewright.common.identity.CallerTeam;
import dev.tunewright.common.rest.ListPage;
import dev.tunewright.dataset.repository.Dataset;
import dev.tunewright.dataset.service.DatasetOptions;
import dev.tunewright.dataset.service.DatasetService;
import dev.tunewright.dataset.service.DatasetStatistics;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.List;

/** Dataset versions of the calling team. */
@Path("/v1/datasets")
@Produces(MediaType.APPLICATION_JSON)
public class DatasetResource {

    private final DatasetService datasets;
    private final CallerTeam caller;

    public DatasetResource(DatasetService datasets, CallerTeam caller) {
        this.datasets = datasets;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(DatasetOptions.Request request) throws IOException {
        DatasetService.Created created = datasets.create(caller.teamId(), request);
        return Response.status(created.created() ? 201 : 200).entity(view(created.dataset())).build();
    }

    @GET
    public ListPage<DatasetView> list(@QueryParam("limit") @DefaultValue("20") int limit) {
        int bounded = Math.max(1, Math.min(limit, 100));
        List<Dataset> page = datasets.page(caller.teamId(), bounded);
        return ListPage.of(page.stream().limit(bounded).map(this::view).toList(), page.size() > bounded);
    }

    @GET
    @Path("/{id}")
    public DatasetView get(@PathParam("id") String id) {
        return view(datasets.get(caller.teamId(), id));
    }

    @GET
    @Path("/{id}/splits/{split}")
    @Produces("application/jsonl")
    public Response split(@PathParam("id") String id, @PathParam("split") String split) throws IOException {
        Dataset dataset = datasets.get(caller.teamId(), id);
        return Response.ok(datasets.split(dataset, split), "application/jsonl").build();
    }

    @GET
    @Path("/{id}/report")
    public DatasetService.DatasetReport report(@PathParam("id") String id) {
        return datasets.read(datasets.get(caller.teamId(), id).report, DatasetService.DatasetReport.class);
    }

    private DatasetView view(Dataset dataset) {
        return DatasetView.of(dataset, datasets.read(dataset.options, DatasetOptions.class),
                datasets.read(dataset.stats, DatasetStatistics.class), datasets.activeJobs(dataset));
    }
}
