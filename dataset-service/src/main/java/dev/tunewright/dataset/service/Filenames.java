package dev.tunewright.dataset.service;

import dev.tunewright.common.rest.ApiException;

/**
 * What an uploaded file may be called. The name is the client's text and ends up in listings, logs and the
 * {@code Content-Disposition} of downloads, so it is checked before a byte of the file is read: directories a
 * browser or script put in front of it are dropped, and a name with control characters (NUL, CR, LF, ...), one that
 * names no file ({@code "/"}) or one over the limit is refused with a 400 naming {@code file}.
 */
public final class Filenames {

    static final String DEFAULT = "upload.jsonl";
    /** The width of the {@code filename} columns; a configured limit above it is capped here. */
    static final int COLUMN_CHARS = 512;

    private Filenames() {
    }

    /** The name to keep for an upload sent as {@code raw} (null or blank: {@value #DEFAULT}). */
    public static String accept(String raw, int maxChars) {
        if (raw == null || raw.isBlank()) {
            return DEFAULT;
        }
        for (int i = 0; i < raw.length(); ) {
            int c = raw.codePointAt(i);
            if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029 || Character.getType(c) == Character.FORMAT
                    && c != 0x200D) {
                throw refused("the file name has a control character (U+" + String.format("%04X", c) + ") at position "
                        + (raw.codePointCount(0, i) + 1) + "; control characters are not allowed in file names");
            }
            i += Character.charCount(c);
        }
        String name = raw.substring(Math.max(raw.lastIndexOf('/'), raw.lastIndexOf('\\')) + 1).strip();
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            throw refused("the file name names no file (it is empty once directories are removed)");
        }
        int chars = name.codePointCount(0, name.length());
        int limit = Math.min(maxChars, COLUMN_CHARS);
        if (chars > limit) {
            throw refused("the file name is " + chars + " characters, the limit is " + limit
                    + " (tunewright.dataset.max-filename-chars)");
        }
        return name;
    }

    private static ApiException refused(String message) {
        return ApiException.badRequest("invalid_filename", "file", message);
    }
}
