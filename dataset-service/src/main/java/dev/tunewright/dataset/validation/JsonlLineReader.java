package dev.tunewright.dataset.validation;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines without ever holding more than one line (bounded by the line limit) in
 * memory, and remembers where each line starts so that splits can later be cut from the stored file by
 * offset instead of by re-serialising JSON. A line that lies inside the read buffer is handed out in place,
 * not copied: on a 50 MB upload the per-line copies cost as much as the UTF-8 check.
 */
final class JsonlLineReader {

    /**
     * A line of the file: its content is {@code data[from, to)} (without terminator, trailing {@code \r} or byte
     * order mark) and stays valid only until the next call of {@link #next()}. {@code data} is null when the line
     * exceeded the limit; {@code length} is the exact raw length either way.
     */
    record Line(long number, long offset, byte[] data, int from, int to, long length) {
        boolean tooLong() {
            return data == null;
        }

        int size() {
            return to - from;
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
    private byte[] spill = new byte[256];

    JsonlLineReader(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** The next line without its terminator ({@code \n} or {@code \r\n}), or null at the end of the stream. */
    Line next() throws IOException {
        if (bufferPos == bufferEnd && !fill()) {
            return null;
        }
        long start = streamPos;
        int newline = indexOfNewline(bufferPos, bufferEnd);
        if (newline >= 0) {
            int from = bufferPos;
            int length = newline - from;
            bufferPos = newline + 1;
            streamPos += length + 1;
            return finish(start, buffer, from, length, length);
        }
        // The line continues past the buffer: gather it (up to the limit) in the spill array.
        long length = 0;
        while (true) {
            int end = newline >= 0 ? newline : bufferEnd;
            int chunk = end - bufferPos;
            spill(length, bufferPos, chunk);
            length += chunk;
            streamPos += chunk;
            bufferPos = end;
            if (newline >= 0) {
                bufferPos++;
                streamPos++;
                break;
            }
            if (!fill()) {
                break;
            }
            newline = indexOfNewline(bufferPos, bufferEnd);
        }
        return finish(start, spill, 0, (int) Math.min(length, maxLineBytes), length);
    }

    /** Bytes consumed so far; after the last line this is the file size. */
    long position() {
        return streamPos;
    }

    private int indexOfNewline(int from, int to) {
        return ByteSearch.indexOf(buffer, from, to, (byte) '\n');
    }

    private void spill(long stored, int from, int chunk) {
        if (stored >= maxLineBytes) {
            return;
        }
        int take = (int) Math.min(chunk, maxLineBytes - stored);
        int need = (int) stored + take;
        if (need > spill.length) {
            spill = Arrays.copyOf(spill, Math.min(Math.max(need, spill.length * 2), maxLineBytes));
        }
        System.arraycopy(buffer, from, spill, (int) stored, take);
    }

    private Line finish(long start, byte[] data, int from, int stored, long length) {
        lineNumber++;
        if (length > maxLineBytes) {
            return new Line(lineNumber, start, null, 0, 0, length);
        }
        int end = from + stored;
        if (end > from && data[end - 1] == '\r') {
            end--;
        }
        if (lineNumber == 1 && end - from >= 3 && (data[from] & 0xFF) == 0xEF && (data[from + 1] & 0xFF) == 0xBB
                && (data[from + 2] & 0xFF) == 0xBF) {
            from += 3; // a UTF-8 byte order mark is tolerated on the first line only
        }
        return new Line(lineNumber, start, data, from, end, length);
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
