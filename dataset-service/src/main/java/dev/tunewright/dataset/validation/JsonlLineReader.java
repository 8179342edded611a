package dev.tunewright.dataset.validation;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines without ever holding more than one line (bounded by the line limit) in
 * memory, and remembers where each line starts so that splits can later be cut from the stored file by
 * offset instead of by re-serialising JSON.
 */
final class JsonlLineReader {

    /** A line of the file; {@code bytes} is null when the line exceeded the limit, {@code length} is still exact. */
    record Line(long number, long offset, byte[] bytes, long length) {
        boolean tooLong() {
            return bytes == null;
        }
    }

    private static final int BUFFER_SIZE = 1 << 16;

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buffer = new byte[BUFFER_SIZE];
    private int bufferPos;
    private int bufferEnd;
    private long streamPos;
    private long lineNumber;
    private byte[] line = new byte[256];

    JsonlLineReader(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** The next line without its terminator ({@code \n} or {@code \r\n}), or null at the end of the stream. */
    Line next() throws IOException {
        long start = streamPos;
        long length = 0;
        boolean sawAny = false;
        while (true) {
            if (bufferPos == bufferEnd && !fill()) {
                if (!sawAny) {
                    return null;
                }
                return finish(start, length);
            }
            sawAny = true;
            byte b = buffer[bufferPos++];
            streamPos++;
            if (b == '\n') {
                return finish(start, length);
            }
            if (length < maxLineBytes) {
                if (length == line.length) {
                    line = Arrays.copyOf(line, (int) Math.min((long) line.length * 2, maxLineBytes));
                }
                line[(int) length] = b;
            }
            length++;
        }
    }

    /** Bytes consumed so far; after the last line this is the file size. */
    long position() {
        return streamPos;
    }

    private Line finish(long start, long length) {
        lineNumber++;
        if (length > maxLineBytes) {
            return new Line(lineNumber, start, null, length);
        }
        int end = (int) length;
        if (end > 0 && line[end - 1] == '\r') {
            end--;
        }
        int begin = 0;
        if (lineNumber == 1 && end >= 3 && (line[0] & 0xFF) == 0xEF && (line[1] & 0xFF) == 0xBB && (line[2] & 0xFF) == 0xBF) {
            begin = 3; // a UTF-8 byte order mark is tolerated on the first line only
        }
        return new Line(lineNumber, start, Arrays.copyOfRange(line, begin, end), length);
    }

    private boolean fill() throws IOException {
        int read = in.read(buffer);
        if (read <= 0) {
            return false;
        }
        bufferPos = 0;
        bufferEnd = read;
        return true;
    }
}
