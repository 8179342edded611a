package dev.tunewright.registry.rest;

import dev.tunewright.common.artifact.ArtifactFolder;
import dev.tunewright.common.artifact.ArtifactStore;
import dev.tunewright.common.identity.CallerTeam;
import dev.tunewright.common.rest.ApiException;
import dev.tunewright.registry.repository.Adapter;
import dev.tunewright.registry.repository.AdapterVersion;
import dev.tunewright.registry.repository.MergeExport;
import dev.tunewright.registry.repository.MergeExportRepository;
import dev.tunewright.registry.service.AdapterLookup;
import dev.tunewright.registry.service.DeployRecipe;
import dev.tunewright.registry.service.MergeService;
import dev.tunewright.registry.worker.RegistryWorkers;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;

/** One version of one of the caller's adapters: its record, its files, its deploy recipe and merged exports. */
@Path("/v1/adapters/{name}/versions/{version}")
@Produces(MediaType.APPLICATION_JSON)
public class VersionResource {

    /** {@code float32}, {@code bfloat16}, {@code float16}, or {@code auto} (the default: the base's own dtypes). */
    public record MergeRequest(String dtype) {
    }

    private final AdapterLookup lookup;
    private final AdapterViews views;
    private final MergeService merges;
    private final MergeExportRepository exports;
    private final RegistryWorkers workers;
    private final ArtifactStore store;
    private final CallerTeam caller;

    public VersionResource(AdapterLookup lookup, AdapterViews views, MergeService merges, MergeExportRepository exports,
            RegistryWorkers workers, ArtifactStore store, CallerTeam caller) {
        this.lookup = lookup;
        this.views = views;
        this.merges = merges;
        this.exports = exports;
        this.workers = workers;
        this.store = store;
        this.caller = caller;
    }

    /** Lineage, files, evaluation, readiness checks, recipe and exports. */
    @GET
    public Views.VersionDetail get(@PathParam("name") String name, @PathParam("version") int version) {
        Adapter adapter = lookup.adapter(caller.teamId(), name);
        return views.version(adapter, lookup.version(adapter, version));
    }

    @GET
    @Path("recipe")
    public DeployRecipe recipe(@PathParam("name") String name, @PathParam("version") int version) {
        Adapter adapter = lookup.adapter(caller.teamId(), name);
        return views.recipe(adapter, lookup.version(adapter, version));
    }

    /** The adapter in PEFT's layout as a zip; every byte is checked against the registered SHA-256s as it is sent. */
    @GET
    @Path("download")
    @Produces("application/zip")
    public Response download(@PathParam("name") String name, @PathParam("version") int version) {
        AdapterVersion v = lookup.version(caller.teamId(), name, version);
        return zip(v.artifactId, name + "-v" + version + ".zip");
    }

    /** Queues a merged full-model export (202), or answers the one already queued, running or done (200). */
    @POST
    @Path("merge")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response merge(@PathParam("name") String name, @PathParam("version") int version, MergeRequest request) {
        MergeService.Requested requested = merges.request(caller.identity(), name, version,
                request == null ? null : request.dtype());
        // the answer shows the export as this request left it: read before a woken worker can claim it
        Views.Merge view = mergeView(name, version, requested.export().id);
        if (requested.queued()) {
            workers.wakeMerge();
        }
        return Response.status(requested.queued() ? Response.Status.ACCEPTED : Response.Status.OK).entity(view).build();
    }

    @GET
    @Path("merges/{merge}")
    public Views.Merge mergeStatus(@PathParam("name") String name, @PathParam("version") int version,
            @PathParam("merge") String mergeId) {
        return mergeView(name, version, mergeId);
    }

    /** The merged model folder as a zip, once the export succeeded (409 before). */
    @GET
    @Path("merges/{merge}/download")
    @Produces("application/zip")
    public Response mergeDownload(@PathParam("name") String name, @PathParam("version") int version,
            @PathParam("merge") String mergeId) {
        MergeExport export = export(name, version, mergeId);
        if (!MergeExport.SUCCEEDED.equals(export.status)) {
            throw ApiException.conflict("merge_not_ready", "merge " + mergeId + " is " + export.status
                    + (export.error == null ? "" : ": " + export.error));
        }
        return zip(export.artifactId, name + "-v" + version + "-merged-" + export.dtype + ".zip");
    }

    private Views.Merge mergeView(String name, int version, String mergeId) {
        Adapter adapter = lookup.adapter(caller.teamId(), name);
        AdapterVersion v = lookup.version(adapter, version);
        return views.merge(adapter, v, export(name, version, mergeId));
    }

    private MergeExport export(String name, int version, String mergeId) {
        AdapterVersion v = lookup.version(caller.teamId(), name, version);
        return exports.findByIdOptional(mergeId).filter(e -> e.versionId.equals(v.id))
                .orElseThrow(() -> ApiException.notFound("merge", mergeId));
    }

    /** Reads the manifest before answering, so a missing folder is an error status rather than a torn download. */
    private Response zip(String folderId, String fileName) {
        ArtifactFolder folder;
        try {
            folder = ArtifactFolder.read(store, folderId);
        } catch (IOException e) {
            throw new ApiException(500, "artifact_unavailable", null, "the files of " + fileName
                    + " cannot be read from the artifact store (" + folderId + "); nothing was sent");
        }
        StreamingOutput body = out -> folder.writeZip(store, out);
        return Response.ok(body, "application/zip")
                .header("Content-Disposition", "attachment; filename=\"" + fileName + "\"").build();
    }
}
