package dev.tunewright.common.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Comparator;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Every error a service answers, in the {@link ApiError} shape; nothing leaks a stack trace to the caller.
 * Grouped in one file because each mapper is a few lines and they only make sense together.
 */
public final class ErrorMappers {

    private ErrorMappers() {
    }

    static Response respond(int status, ApiError error) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(error).build();
    }

    @Provider
    public static class ApiExceptionMapper implements ExceptionMapper<ApiException> {
        @Override
        public Response toResponse(ApiException e) {
            return respond(e.status(), e.toError());
        }
    }

    /** Framework errors (unknown path, wrong method or media type, bodies over the limit) keep their status. */
    @Provider
    public static class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
            if (status >= 500) {
                return InternalErrorMapper.internal(e);
            }
            Response.StatusType info = Response.Status.fromStatusCode(status);
            String reason = info == null ? "HTTP " + status : info.getReasonPhrase();
            String code = reason.toLowerCase().replace(' ', '_').replace("-", "_");
            return respond(status, ApiError.of(ApiError.typeFor(status), code, null, reason.toLowerCase()));
        }
    }

    /** Bean Validation failures report the first offending field (by name, for stable answers) as {@code param}. */
    @Provider
    public static class ConstraintViolationMapper implements ExceptionMapper<ConstraintViolationException> {
        @Override
        public Response toResponse(ConstraintViolationException e) {
            ConstraintViolation<?> first = e.getConstraintViolations().stream()
                    .min(Comparator.comparing(v -> String.valueOf(v.getPropertyPath())))
                    .orElse(null);
            if (first == null) {
                return respond(400, ApiError.of("invalid_request_error", "invalid_request", null, "invalid request"));
            }
            String param = leaf(first.getPropertyPath());
            return respond(400, ApiError.of("invalid_request_error", "invalid_value", param,
                    param + ": " + first.getMessage()));
        }

        private static String leaf(Path path) {
            String name = null;
            for (Path.Node node : path) {
                if (node.getName() != null) {
                    name = node.getName();
                }
            }
            return name;
        }
    }

    @Provider
    public static class JsonMapper implements ExceptionMapper<JsonProcessingException> {
        @Override
        public Response toResponse(JsonProcessingException e) {
            return invalidJson(e);
        }
    }

    /** Declared separately because Jackson support registers its own mapper for this subtype. */
    @Provider
    public static class MismatchedInputMapper implements ExceptionMapper<MismatchedInputException> {
        @Override
        public Response toResponse(MismatchedInputException e) {
            return invalidJson(e);
        }
    }

    static Response invalidJson(JsonProcessingException e) {
        return respond(400, ApiError.of("invalid_request_error", "invalid_json", null,
                "request body is not valid JSON for this endpoint: " + e.getOriginalMessage()));
    }

    /** The catch-all: logs the cause with the request id and tells the caller only that id. */
    @Provider
    public static class InternalErrorMapper implements ExceptionMapper<Throwable> {

        private static final Logger LOG = Logger.getLogger(InternalErrorMapper.class);

        @Override
        public Response toResponse(Throwable e) {
            return internal(e);
        }

        static Response internal(Throwable e) {
            Object requestId = MDC.get(RequestIdFilter.MDC_KEY);
            LOG.error("request failed", e);
            String message = "internal server error" + (requestId == null ? "" : " (request id " + requestId + ")");
            return respond(500, ApiError.of("server_error", "internal_error", null, message));
        }
    }
}
