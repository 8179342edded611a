package dev.tunewright.dataset.rest;

import dev.tunewright.common.rest.ApiError;
import dev.tunewright.dataset.service.FileService.RejectedFileException;
import dev.tunewright.dataset.service.ValidationReport;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * A rejected upload answers 400 with the usual error, plus the file object in status {@code error} and the full
 * report, so the team can fix every line in one go instead of one error per attempt.
 */
@Provider
public class RejectedFileMapper implements ExceptionMapper<RejectedFileException> {

    public record RejectedBody(ApiError.Detail error, FileView file, ValidationReport report) {
    }

    @Override
    public Response toResponse(RejectedFileException e) {
        return Response.status(400).type(MediaType.APPLICATION_JSON)
                .entity(new RejectedBody(e.toError().error(), FileView.rejected(e.rejected(), e.report()), e.report()))
                .build();
    }
}
