package dev.tunewright.trainer.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunewright.common.artifact.ArtifactFolder;
import dev.tunewright.common.identity.CallerTeam;
import dev.tunewright.common.rest.ApiException;
import dev.tunewright.common.rest.ListPage;
import dev.tunewright.trainer.repository.Job;
import dev.tunewright.trainer.repository.JobCheckpoint;
import dev.tunewright.trainer.repository.JobEventRecord;
import dev.tunewright.trainer.service.FineTunedModels;
import dev.tunewright.trainer.service.JobQueries;
import dev.tunewright.trainer.service.JobService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** OpenAI's fine-tuning jobs API; every job, event and checkpoint belongs to the calling team. */
@Path("/v1/fine_tuning/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class FineTuningJobResource {

    private static final Pattern METADATA_PARAM = Pattern.compile("metadata\\[(.{1,64})]");

    private final JobService jobs;
    private final JobQueries queries;
    private final EventStreams streams;
    private final CallerTeam caller;
    private final ObjectMapper json;

    public FineTuningJobResource(JobService jobs, JobQueries queries, EventStreams streams, CallerTeam caller,
            ObjectMapper json) {
        this.jobs = jobs;
        this.queries = queries;
        this.streams = streams;
        this.caller = caller;
        this.json = json;
    }

    /** Read as text and parsed here, so malformed JSON gets {@code invalid_json} with Jackson's own explanation. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public JobView create(String body) {
        JsonNode request;
        try {
            request = body == null || body.isBlank() ? null : json.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiException.badRequest("invalid_json", null, "request body is not valid JSON: " + e.getOriginalMessage());
        }
        return view(jobs.create(caller.identity(), request));
    }

    @GET
    public ListPage<JobView> list(@QueryParam("after") String after, @QueryParam("limit") String limit,
            @Context UriInfo uri) {
        int size = limit(limit);
        Map<String, String> metadata = new LinkedHashMap<>();
        uri.getQueryParameters().forEach((name, values) -> {
            Matcher m = METADATA_PARAM.matcher(name);
            if (m.matches() && !values.isEmpty()) {
                metadata.put(m.group(1), values.get(0));
            }
        });
        List<Job> page = queries.page(caller.teamId(), after, metadata, size);
        return ListPage.of(page.stream().limit(size).map(this::view).toList(), page.size() > size);
    }

    @GET
    @Path("/{id}")
    public JobView get(@PathParam("id") String id) {
        return view(jobs.get(caller.teamId(), id));
    }

    @POST
    @Path("/{id}/cancel")
    public JobView cancel(@PathParam("id") String id) {
        return view(jobs.cancel(caller.teamId(), id));
    }

    @POST
    @Path("/{id}/pause")
    public JobView pause(@PathParam("id") String id) {
        return view(jobs.pause(caller.teamId(), id));
    }

    @POST
    @Path("/{id}/resume")
    public JobView resume(@PathParam("id") String id) {
        return view(jobs.resume(caller.teamId(), id));
    }

    @GET
    @Path("/{id}/events")
    public ListPage<EventView> events(@PathParam("id") String id, @QueryParam("after") String after,
            @QueryParam("limit") String limit) {
        Job job = jobs.get(caller.teamId(), id);
        int size = limit(limit);
        List<JobEventRecord> page = queries.events(job, EventView.seq(after), size);
        return ListPage.of(page.stream().limit(size).map(e -> EventView.of(e, json)).toList(), page.size() > size);
    }

    /**
     * The job's events as Server-Sent Events, oldest first from {@code Last-Event-ID} (or {@code after}), live until
     * the job ends; then {@code data: [DONE]}. {@code ?stream=true} selects this too ({@link EventStreamSelector}).
     */
    @GET
    @Path("/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void stream(@PathParam("id") String id, @HeaderParam("Last-Event-ID") String lastEventId,
            @QueryParam("after") String after, @Context SseEventSink sink, @Context Sse sse) {
        Job job = jobs.get(caller.teamId(), id);
        Long from = EventView.seq(lastEventId != null ? lastEventId : after);
        streams.open(job.id, from == null ? 0 : from, sink, sse);
    }

    @GET
    @Path("/{id}/checkpoints")
    public ListPage<CheckpointView> checkpoints(@PathParam("id") String id, @QueryParam("after") String after,
            @QueryParam("limit") String limit) {
        Job job = jobs.get(caller.teamId(), id);
        int size = limit(limit);
        String modelId = FineTunedModels.id(job);
        List<JobCheckpoint> page = queries.checkpoints(job, after, size);
        return ListPage.of(page.stream().limit(size).map(c -> CheckpointView.of(job, c, modelId, json)).toList(),
                page.size() > size);
    }

    /** The checkpoint's adapter (PEFT layout) as a zip, whatever the client accepts (SDKs send application/binary). */
    @GET
    @Path("/{id}/checkpoints/{checkpoint}/content")
    @Produces(MediaType.WILDCARD)
    public Response checkpointContent(@PathParam("id") String id, @PathParam("checkpoint") String checkpointId)
            throws IOException {
        Job job = jobs.get(caller.teamId(), id);
        ArtifactFolder adapter = queries.checkpointAdapter(job, checkpointId);
        StreamingOutput zip = out -> adapter.writeZip(queries.artifacts(), out);
        return Response.ok(zip, "application/zip")
                .header("Content-Disposition", "attachment; filename=\"" + job.id + "-" + checkpointId + ".zip\"")
                .build();
    }

    /** The job's per-step metrics as CSV (the id listed in {@code result_files}). */
    @GET
    @Path("/{id}/result_files/{file}/content")
    @Produces(MediaType.WILDCARD)
    public Response resultFile(@PathParam("id") String id, @PathParam("file") String file) throws IOException {
        Job job = jobs.get(caller.teamId(), id);
        if (job.resultArtifactId == null || !JobView.resultFileId(job.id).equals(file)) {
            throw ApiException.notFound("result file", file);
        }
        return Response.ok(queries.resultFile(job), "text/csv")
                .header("Content-Disposition", "attachment; filename=\"" + file + ".csv\"")
                .build();
    }

    private JobView view(Job job) {
        return JobView.of(job, jobs.request(job), jobs.settings(job), jobs.queuePosition(job));
    }

    /** OpenAI's {@code limit}: 1 to 100, default 20. */
    private static int limit(String limit) {
        if (limit == null || limit.isBlank()) {
            return 20;
        }
        try {
            int value = Integer.parseInt(limit.trim());
            if (value >= 1 && value <= 100) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badRequest("invalid_value", "limit", "limit must be an integer from 1 to 100, was '" + limit + "'");
    }
}
