package dev.tunewright.common.rest;

/**
 * An error a resource or service means to return to the caller; {@link ApiExceptionMapper} turns it into an
 * {@link ApiError} with this status. Throwing it from a {@code @Transactional} method also rolls the work back.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final String param;

    public ApiException(int status, String code, String param, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.param = param;
    }

    public static ApiException badRequest(String code, String param, String message) {
        return new ApiException(400, code, param, message);
    }

    public static ApiException unauthorized(String code, String message) {
        return new ApiException(401, code, null, message);
    }

    public static ApiException forbidden(String code, String message) {
        return new ApiException(403, code, null, message);
    }

    /** For objects of another team too: they must be indistinguishable from ones that do not exist. */
    public static ApiException notFound(String what, String id) {
        return new ApiException(404, "not_found", null, what + " '" + id + "' not found");
    }

    public static ApiException conflict(String code, String message) {
        return new ApiException(409, code, null, message);
    }

    public static ApiException payloadTooLarge(String message) {
        return new ApiException(413, "payload_too_large", null, message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String param() {
        return param;
    }

    public ApiError toError() {
        return ApiError.of(ApiError.typeFor(status), code, param, getMessage());
    }
}
