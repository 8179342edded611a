package dev.tunewright.registry.rest;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.tunewright.common.identity.CallerTeam;
import dev.tunewright.common.rest.ListPage;
import dev.tunewright.registry.repository.Adapter;
import dev.tunewright.registry.repository.AdapterRepository;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;

/** The caller's adapters; other teams' adapters are invisible. */
@Path("/v1/adapters")
@Produces(MediaType.APPLICATION_JSON)
public class AdapterResource {

    public record AdapterView(String id, String object, String name, int version, @JsonProperty("job_id") String jobId,
            @JsonProperty("dataset_id") String datasetId, @JsonProperty("base_model") String baseModel, String stage,
            @JsonProperty("created_at") Instant createdAt) {

        static AdapterView of(Adapter a) {
            return new AdapterView(a.id, "adapter", a.name, a.version, a.jobId, a.datasetId, a.baseModel, a.stage,
                    a.createdAt);
        }
    }

    private final AdapterRepository adapters;
    private final CallerTeam caller;

    public AdapterResource(AdapterRepository adapters, CallerTeam caller) {
        this.adapters = adapters;
        this.caller = caller;
    }

    @GET
    public ListPage<AdapterView> list(@QueryParam("limit") @DefaultValue("20") int limit) {
        int bounded = Math.max(1, Math.min(limit, 100));
        List<Adapter> page = adapters.pageOfTeam(caller.teamId(), bounded);
        boolean more = page.size() > bounded;
        return ListPage.of(page.stream().limit(bounded).map(AdapterView::of).toList(), more);
    }
}
