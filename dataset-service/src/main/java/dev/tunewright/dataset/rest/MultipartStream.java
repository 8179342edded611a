package dev.tunewright.dataset.rest;

import dev.tunewright.dataset.validation.ByteSearch;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A {@code multipart/form-data} body read part by part as it arrives, each part's content an {@link InputStream}
 * that ends at the next boundary. The HTTP layer's own multipart handling spools a file part to a temporary file
 * in 1 KiB writes before the endpoint runs, which cost more than validating the file; reading the parts as a
 * stream lets an upload be validated, hashed and stored while it is still arriving, in one pass. Only what
 * RFC 7578 allows is accepted: no transfer encodings on parts.
 */
final class MultipartStream {

    /** The body is not well-formed multipart. */
    static final class MalformedException extends IOException {
        MalformedException(String message) {
            super(message);
        }
    }

    /** One part: its form field name, its file name (null for a plain field) and its content. */
    record Part(String name, String filename, InputStream content) {

        /** The content as text, refused beyond {@code maxBytes}. */
        String text(int maxBytes) throws IOException {
            byte[] bytes = content.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new MalformedException("form field '" + name + "' is longer than " + maxBytes + " bytes");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }

        void skip() throws IOException {
            content.transferTo(OutputStream.nullOutputStream());
        }
    }

    private static final int BUFFER_BYTES = 1 << 16;
    private static final int MAX_BOUNDARY = 200;
    private static final int MAX_HEADER_BYTES = 16 * 1024;

    private final InputStream in;
    private final byte[] delimiter;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int pos;
    private int end;
    private Content current;
    private boolean finished;

    /** @param boundary the {@code boundary} parameter of the request's content type */
    MultipartStream(InputStream in, String boundary) throws MalformedException {
        if (boundary == null || boundary.isEmpty() || boundary.length() > MAX_BOUNDARY) {
            throw new MalformedException("a multipart body needs a boundary of 1 to " + MAX_BOUNDARY + " characters");
        }
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        // The first boundary may open the body without a line break before it; reading as if one were there
        // makes it an ordinary delimiter, and whatever precedes it the preamble, which is skipped.
        buffer[0] = '\r';
        buffer[1] = '\n';
        end = 2;
    }

    /** The {@code boundary} parameter of a content type, or null. */
    static String boundary(String contentType) {
        if (contentType == null) {
            return null;
        }
        return parameter(contentType, "boundary");
    }

    /** The next part, or null after the closing boundary. The previous part's unread content is skipped. */
    Part next() throws IOException {
        if (finished) {
            return null;
        }
        (current == null ? new Content() : current).transferTo(OutputStream.nullOutputStream());
        require(2);
        if (buffer[pos] == '-' && buffer[pos + 1] == '-') {
            finished = true;
            current = null;
            in.readNBytes(BUFFER_BYTES); // the epilogue, a line break in practice, is read and ignored
            return null;
        }
        while (true) {
            require(1);
            if (buffer[pos] != ' ' && buffer[pos] != '\t') {
                break;
            }
            pos++;
        }
        require(2);
        if (buffer[pos] != '\r' || buffer[pos + 1] != '\n') {
            throw new MalformedException("a multipart boundary must end its line");
        }
        pos += 2;
        String disposition = null;
        int headerBytes = 0;
        for (String header = line(); !header.isEmpty(); header = line()) {
            headerBytes += header.length();
            if (headerBytes > MAX_HEADER_BYTES) {
                throw new MalformedException("multipart part headers are longer than " + MAX_HEADER_BYTES + " bytes");
            }
            int colon = header.indexOf(':');
            String name = colon < 0 ? header : header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = colon < 0 ? "" : header.substring(colon + 1).trim();
            if (name.equals("content-disposition")) {
                disposition = value;
            } else if (name.equals("content-transfer-encoding") && !value.equalsIgnoreCase("binary")
                    && !value.equalsIgnoreCase("8bit") && !value.equalsIgnoreCase("7bit")) {
                throw new MalformedException("multipart parts must not be " + value + "-encoded (RFC 7578)");
            }
        }
        if (disposition == null || !disposition.toLowerCase(Locale.ROOT).startsWith("form-data")) {
            throw new MalformedException("every part of a form needs a Content-Disposition: form-data header");
        }
        current = new Content();
        return new Part(parameter(disposition, "name"), parameter(disposition, "filename"), current);
    }

    /** A header line without its CRLF, decoded as UTF-8 (what browsers and curl send for file names). */
    private String line() throws IOException {
        int start = pos;
        int scanned = pos;
        while (true) {
            for (int i = scanned; i + 1 < end; i++) {
                if (buffer[i] == '\r' && buffer[i + 1] == '\n') {
                    pos = i + 2;
                    return new String(buffer, start, i - start, StandardCharsets.UTF_8);
                }
            }
            if (end - start >= MAX_HEADER_BYTES) {
                throw new MalformedException("a multipart header line is longer than " + MAX_HEADER_BYTES + " bytes");
            }
            scanned = Math.max(start, end - 1);
            int shift = compact();
            start -= shift;
            scanned -= shift;
            if (!fill()) {
                throw new MalformedException("the multipart body ended inside a part's headers");
            }
        }
    }

    /** {@code key=value} or {@code key="value"} (backslash escapes allowed) from a header's parameters. */
    private static String parameter(String header, String key) {
        int i = header.indexOf(';');
        while (i >= 0 && i < header.length()) {
            int start = i + 1;
            while (start < header.length() && header.charAt(start) == ' ') {
                start++;
            }
            int equals = header.indexOf('=', start);
            if (equals < 0) {
                return null;
            }
            String name = header.substring(start, equals).trim();
            StringBuilder value = new StringBuilder();
            int j = equals + 1;
            boolean quoted = j < header.length() && header.charAt(j) == '"';
            if (quoted) {
                for (j++; j < header.length() && header.charAt(j) != '"'; j++) {
                    if (header.charAt(j) == '\\' && j + 1 < header.length()) {
                        j++;
                    }
                    value.append(header.charAt(j));
                }
                j++;
            } else {
                for (; j < header.length() && header.charAt(j) != ';'; j++) {
                    value.append(header.charAt(j));
                }
            }
            if (name.equalsIgnoreCase(key)) {
                return quoted ? value.toString() : value.toString().trim();
            }
            i = header.indexOf(';', j);
        }
        return null;
    }

    /** Makes at least {@code bytes} unread bytes available. */
    private void require(int bytes) throws IOException {
        while (end - pos < bytes) {
            compact();
            if (!fill()) {
                throw new MalformedException("the multipart body ended before its closing boundary");
            }
        }
    }

    /** Moves the unread bytes to the start of the buffer; returns by how much they moved. */
    private int compact() {
        int shift = pos;
        if (shift > 0) {
            System.arraycopy(buffer, pos, buffer, 0, end - pos);
            end -= shift;
            pos = 0;
        }
        return shift;
    }

    private boolean fill() throws IOException {
        if (end == buffer.length) {
            return true;
        }
        int read = in.read(buffer, end, buffer.length - end);
        if (read < 0) {
            return false;
        }
        end += read;
        return true;
    }

    /** A part's content: the bytes up to the next delimiter, which it consumes. */
    private final class Content extends InputStream {
        /** Bytes before this index are content for certain. */
        private int safeEnd;
        private boolean delimiterAtSafeEnd;
        private boolean done;

        Content() {
            safeEnd = pos;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (!done && pos == safeEnd) {
                if (delimiterAtSafeEnd) {
                    pos += delimiter.length;
                    done = true;
                } else if (!search()) {
                    compact();
                    safeEnd = pos;
                    if (!fill()) {
                        throw new MalformedException("the multipart body ended before its closing boundary");
                    }
                }
            }
            if (done) {
                return -1;
            }
            int n = Math.min(len, safeEnd - pos);
            System.arraycopy(buffer, pos, b, off, n);
            pos += n;
            return n;
        }

        /** Extends the known content from {@code pos}; false when more input is needed to tell. */
        private boolean search() {
            int last = end - delimiter.length;
            for (int i = ByteSearch.indexOf(buffer, pos, last + 1, (byte) '\r'); i >= 0;
                    i = ByteSearch.indexOf(buffer, i + 1, last + 1, (byte) '\r')) {
                if (matches(i)) {
                    safeEnd = i;
                    delimiterAtSafeEnd = true;
                    return true;
                }
            }
            // A delimiter may begin in the last bytes and finish in the next read: keep those back.
            int from = Math.max(pos, last + 1);
            int carriageReturn = ByteSearch.indexOf(buffer, from, end, (byte) '\r');
            safeEnd = carriageReturn < 0 ? end : carriageReturn;
            return safeEnd > pos;
        }

        private boolean matches(int at) {
            for (int k = 1; k < delimiter.length; k++) {
                if (buffer[at + k] != delimiter[k]) {
                    return false;
                }
            }
            return true;
        }
    }
}
