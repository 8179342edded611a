package dev.tunewright.dataset.rest;

import dev.tunewright.common.identity.CallerTeam;
import dev.tunewright.common.rest.ApiException;
import dev.tunewright.common.rest.ListPage;
import dev.tunewright.dataset.repository.DatasetFile;
import dev.tunewright.dataset.service.FileService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** OpenAI-compatible file endpoints; every file belongs to the calling team. */
@Path("/v1/files")
@Produces(MediaType.APPLICATION_JSON)
public class FileResource {

    /** OpenAI's deletion answer. */
    public record Deleted(String id, String object, boolean deleted) {
    }

    private final FileService files;
    private final CallerTeam caller;

    public FileResource(FileService files, CallerTeam caller) {
        this.files = files;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public FileView upload(@RestForm("file") FileUpload file, @RestForm("purpose") String purpose,
            @RestForm("skip_invalid") @DefaultValue("false") boolean skipInvalid) throws IOException {
        if (file == null) {
            throw ApiException.badRequest("missing_field", "file", "multipart field 'file' is required");
        }
        DatasetFile stored = files.upload(caller.teamId(), file.fileName(), purpose, skipInvalid, file.uploadedFile());
        return FileView.of(stored, files.report(stored));
    }

    @GET
    public ListPage<FileView> list(@QueryParam("limit") @DefaultValue("20") int limit) {
        int bounded = Math.max(1, Math.min(limit, 100));
        List<DatasetFile> page = files.page(caller.teamId(), bounded);
        return ListPage.of(page.stream().limit(bounded).map(f -> FileView.of(f, files.report(f))).toList(),
                page.size() > bounded);
    }

    @GET
    @Path("/{id}")
    public FileView get(@PathParam("id") String id) {
        DatasetFile file = files.get(caller.teamId(), id);
        return FileView.of(file, files.report(file));
    }

    @GET
    @Path("/{id}/content")
    @Produces("application/jsonl")
    public Response content(@PathParam("id") String id) throws IOException {
        DatasetFile file = files.get(caller.teamId(), id);
        return Response.ok(files.content(file), "application/jsonl")
                .header("Content-Length", file.bytes)
                .header("Content-Disposition", "attachment; filename=\"" + file.filename.replace("\"", "") + "\"")
                .build();
    }

    @DELETE
    @Path("/{id}")
    public Deleted delete(@PathParam("id") String id) throws IOException {
        return new Deleted(files.delete(caller.teamId(), id).id, "file", true);
    }
}
