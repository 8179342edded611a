package dev.tunewright.common.rest;

import java.util.Locale;

/**
 * Which raw request paths are routed at all. A path with dot segments (plain, percent-encoded or hidden behind a
 * matrix parameter such as {@code ..;x}), empty segments, encoded separators or backslashes can mean one thing to the
 * code that decides by prefix (which paths are open, which backend serves them) and another to the router that
 * resolves it: {@code /q/../v1/files} looks like a management path and is served as {@code /v1/files}. Raw bytes
 * outside ASCII (a client that did not percent-encode, or sent bytes that are not UTF-8) are read as Latin-1 by one
 * server and as UTF-8 by the next, so the gateway would sign one path and the service check another. Refusing them
 * up front, in every service and in the gateway, means the path that is checked is the path that is served.
 */
public final class SafePaths {

    private SafePaths() {
    }

    public static boolean isSafe(String rawPath) {
        if (rawPath == null || !rawPath.startsWith("/") || rawPath.contains("//") || rawPath.contains("\\")) {
            return false;
        }
        String lower = rawPath.toLowerCase(Locale.ROOT);
        if (lower.contains("%2e") || lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00")) {
            return false;
        }
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c < 0x20 || c >= 0x7f) {
                return false;
            }
        }
        for (String segment : rawPath.split("/", -1)) {
            int matrix = segment.indexOf(';');
            String name = matrix < 0 ? segment : segment.substring(0, matrix);
            if (name.equals(".") || name.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /** The 400 answer for a path {@link #isSafe} refuses. */
    public static ApiError refusal() {
        return ApiError.of("invalid_request_error", "invalid_path", null,
                "path must not contain dot segments, empty segments, encoded separators or bytes outside ASCII"
                        + " (percent-encode them as UTF-8)");
    }
}
