package dev.tunewright.common.rest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
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
import java.util.List;
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
            if (status == 400 && e.getCause() instanceof JsonProcessingException json) {
                // Quarkus REST wraps what Jackson refuses before binding (syntax, stream limits) as a plain 400.
                return invalidJson(json);
            }
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

    /**
     * A body Jackson refused: names the field ({@code param}, as the client spelled it) when the value had the wrong
     * type, and the position in the body when the JSON itself is broken.
     */
    static Response invalidJson(JsonProcessingException e) {
        String param = e instanceof JsonMappingException bound ? fieldPath(bound.getPath()) : null;
        JsonLocation location = e.getLocation();
        String where = location == null || location.getLineNr() < 1 ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
        if (param != null && e instanceof MismatchedInputException mismatch && expected(mismatch.getTargetType()) != null) {
            return respond(400, ApiError.of("invalid_request_error", "invalid_type", param,
                    param + " must be " + expected(mismatch.getTargetType()) + where));
        }
        String what = param == null ? "request body" : "field " + param;
        return respond(400, ApiError.of("invalid_request_error", "invalid_json", param,
                what + " is not valid JSON for this endpoint: " + e.getOriginalMessage() + where));
    }

    /** {@code messages[2].content} from Jackson's reference chain; null when there is no field. */
    static String fieldPath(List<JsonMappingException.Reference> path) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference reference : path) {
            if (reference.getFieldName() != null) {
                out.append(out.isEmpty() ? "" : ".").append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                out.append('[').append(reference.getIndex()).append(']');
            }
        }
        return out.isEmpty() ? null : out.toString();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return null;
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class) {
            return "an integer (a JSON number without fraction, not a string)";
        }
        if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
            return "a number (not a string)";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        return null;
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
