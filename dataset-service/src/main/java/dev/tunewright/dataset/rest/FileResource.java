package dev.tunewright.dataset.rest;

import dev.tunewright.common.identity.CallerTeam;
import dev.tunewright.common.rest.ApiException;
import dev.tunewright.common.rest.ListPage;
import dev.tunewright.dataset.repository.DatasetFile;
import dev.tunewright.dataset.service.FileService;
import dev.tunewright.dataset.service.ReceivedUpload;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

/** OpenAI-compatible file endpoints; every file belongs to the calling team. */
@Path("/v1/files")
@Produces(MediaType.APPLICATION_JSON)
public class FileResource {

    /** OpenAI's deletion answer. */
    public record Deleted(String id, String object, boolean deleted) {
    }

    private static final int MAX_FIELD_BYTES = 1024;

    private final FileService files;
    private final CallerTeam caller;

    public FileResource(FileService files, CallerTeam caller) {
        this.files = files;
        this.caller = caller;
    }

    /**
     * Reads the form as a stream: the file part is validated, hashed and staged while it arrives, and the small
     * fields may come before or after it. A wrong purpose sent first spares the work on the file.
     */
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @RequestBody(content = @Content(mediaType = MediaType.MULTIPART_FORM_DATA, schema = @Schema(implementation = UploadForm.class)))
    public FileView upload(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, InputStream body) throws IOException {
        String purpose = null;
        String skipInvalid = null;
        boolean sawFile = false;
        ReceivedUpload received = null;
        try {
            MultipartStream form = new MultipartStream(body, MultipartStream.boundary(contentType));
            for (MultipartStream.Part part = form.next(); part != null; part = form.next()) {
                switch (part.name() == null ? "" : part.name()) {
                    case "file" -> {
                        if (sawFile) {
                            throw ApiException.badRequest("duplicate_field", "file",
                                    "the form has more than one 'file' part; upload one file per request");
                        }
                        sawFile = true;
                        if (purpose == null || FileService.PURPOSE.equals(purpose)) {
                            received = files.receive(part.filename(), part.content());
                        }
                    }
                    case "purpose" -> purpose = once("purpose", purpose, part.text(MAX_FIELD_BYTES));
                    case "skip_invalid" -> skipInvalid = once("skip_invalid", skipInvalid, part.text(MAX_FIELD_BYTES));
                    default -> part.skip();
                }
            }
            if (!sawFile) {
                throw ApiException.badRequest("missing_field", "file", "multipart field 'file' is required");
            }
            FileService.checkPurpose(purpose);
            DatasetFile stored = files.accept(caller.teamId(), purpose, flag("skip_invalid", skipInvalid), received);
            return FileView.of(stored, files.report(stored));
        } catch (MultipartStream.MalformedException e) {
            throw ApiException.badRequest("invalid_multipart", "file", e.getMessage());
        } finally {
            if (received != null) {
                received.close();
            }
        }
    }

    /** A form field given once; a second value would silently win or lose. */
    private static String once(String field, String previous, String value) {
        if (previous != null) {
            throw ApiException.badRequest("duplicate_field", field, "the form has more than one '" + field + "' field");
        }
        return value;
    }

    /** {@code true} or {@code false} (any case); anything else is refused rather than read as false. */
    private static boolean flag(String field, String value) {
        if (value == null) {
            return false;
        }
        String trimmed = value.trim();
        if (trimmed.equalsIgnoreCase("true") || trimmed.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(trimmed);
        }
        throw ApiException.badRequest("invalid_value", field, field + " must be true or false, was '"
                + (trimmed.length() > 20 ? trimmed.substring(0, 20) + "..." : trimmed) + "'");
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
                .header("Content-Disposition", ContentDisposition.attachment(file.filename))
                .build();
    }

    @DELETE
    @Path("/{id}")
    public Deleted delete(@PathParam("id") String id) {
        return new Deleted(files.delete(caller.teamId(), id).id, "file", true);
    }
}
