package dev.tunewright.common.rest;

/**
 * Client-chosen text (file names, paths, header values) as it may appear in a log line: quoted, control characters
 * and line separators escaped, and cut to a readable length, so that no request can forge or break log lines.
 */
public final class LogText {

    private static final int MAX_CHARS = 256;

    private LogText() {
    }

    public static String quote(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_CHARS) + 2).append('"');
        for (int i = 0; i < text.length() && i < MAX_CHARS; i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || (c >= 0x7f && c < 0xa0) || c == '\u2028' || c == '\u2029') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (text.length() > MAX_CHARS) {
            out.append("...(").append(text.length()).append(" chars)");
        }
        return out.append('"').toString();
    }
}
