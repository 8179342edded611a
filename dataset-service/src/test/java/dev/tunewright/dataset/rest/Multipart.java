package dev.tunewright.dataset.rest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A multipart/form-data body written byte by byte, for requests a regular client would not send (raw control
 * characters in a file name, a second file part) and for uploads from several threads at once.
 */
final class Multipart {

    static final String BOUNDARY = "tunewright-test-boundary";
    static final String CONTENT_TYPE = "multipart/form-data; boundary=" + BOUNDARY;

    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    /** A text field. */
    Multipart field(String name, String value) {
        return part("form-data; name=\"" + name + "\"", value.getBytes(StandardCharsets.UTF_8));
    }

    /** A file part; {@code filename} goes into the header exactly as given (quotes and all). */
    Multipart file(String filename, byte[] content) {
        return part("form-data; name=\"file\"; filename=\"" + filename + "\"", content);
    }

    Multipart file(String filename, String content) {
        return file(filename, content.getBytes(StandardCharsets.UTF_8));
    }

    private Multipart part(String disposition, byte[] content) {
        body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: " + disposition + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        return this;
    }

    byte[] bytes() {
        ByteArrayOutputStream done = new ByteArrayOutputStream();
        done.writeBytes(body.toByteArray());
        done.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return done.toByteArray();
    }
}
