package dev.tunewright.common.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The one error body of the platform, shaped like OpenAI's ({@code {"error":{"message","type","param","code"}}}) so
 * that OpenAI-compatible clients surface our messages unchanged.
 */
public record ApiError(Detail error) {

    /** {@code param} names the offending request field, or is null; it is always present in the JSON. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Detail(String message, String type, String param, String code) {
    }

    public static ApiError of(String type, String code, String param, String message) {
        return new ApiError(new Detail(message, type, param, code));
    }

    /** The {@code type} OpenAI uses for a status, so services only choose a {@code code}. */
    public static String typeFor(int status) {
        if (status == 401) {
            return "authentication_error";
        }
        if (status == 403) {
            return "permission_error";
        }
        if (status == 429) {
            return "rate_limit_error";
        }
        return status >= 500 ? "server_error" : "invalid_request_error";
    }

    /** Hand-written JSON for places without Jackson at hand (Vert.x handlers, the proxy). */
    public String toJson() {
        return "{\"error\":{\"message\":" + quote(error.message()) + ",\"type\":" + quote(error.type())
                + ",\"param\":" + quote(error.param()) + ",\"code\":" + quote(error.code()) + "}}";
    }

    private static String quote(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
