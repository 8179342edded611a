package dev.tunewright.dataset.validation;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Collects the row index while an upload is scanned (see {@link RowIndex} for the layout) and writes it. Rows are
 * held in parallel primitive arrays, 56 bytes a row, never as objects or text.
 */
public final class RowIndexBuilder {

    private final ValidationLimits limits;
    private final Map<Long, String> previews = new LinkedHashMap<>();
    private boolean previewsOverflowed;
    private boolean rowLimitReached;
    private int size;
    private long[] lines = new long[1024];
    private long[] offsets = new long[1024];
    private int[] lengths = new int[1024];
    private int[] characters = new int[1024];
    private long[] exact = new long[1024];
    private long[] normalized = new long[1024];
    private long[] inputs = new long[1024];
    private long[] outputs = new long[1024];

    public RowIndexBuilder(ValidationLimits limits) {
        this.limits = limits;
    }

    /** The number of rows recorded. */
    public int size() {
        return size;
    }

    void add(long line, long offset, int length, int chars, RowKeys keys, String output) {
        if (size == lines.length) {
            grow();
        }
        lines[size] = line;
        offsets[size] = offset;
        lengths[size] = length;
        characters[size] = chars;
        exact[size] = keys.exact();
        normalized[size] = keys.normalized();
        inputs[size] = keys.input();
        outputs[size] = keys.output();
        size++;
        if (!previewsOverflowed && !previews.containsKey(keys.output())) {
            if (previews.size() == LabelCounter.MAX_TRACKED) {
                previewsOverflowed = true;
            } else {
                previews.put(keys.output(), LabelCounter.preview(output));
            }
        }
    }

    void rowLimitReached() {
        rowLimitReached = true;
    }

    /** Writes the index of the scanned file, which has {@code fileBytes} bytes, this SHA-256 and {@code fileLines} lines. */
    public void writeTo(OutputStream out, long fileBytes, String fileSha256, long fileLines) throws IOException {
        Chunks chunks = new Chunks(out);
        ByteBuffer header = chunks.room(RowIndex.HEADER_BYTES);
        header.putInt(RowIndex.MAGIC).putInt(RowIndex.VERSION).putLong(fileBytes).put(HexFormat.of().parseHex(fileSha256))
                .putInt(limits.maxLineBytes()).putLong(limits.maxRows()).putInt(limits.maxMessages()).putLong(fileLines)
                .put((byte) ((rowLimitReached ? RowIndex.ROW_LIMIT_REACHED : 0)
                        | (previewsOverflowed ? RowIndex.PREVIEWS_OVERFLOWED : 0)))
                .putInt(size).putInt(previews.size());
        for (Map.Entry<Long, String> preview : previews.entrySet()) {
            byte[] text = preview.getValue().getBytes(StandardCharsets.UTF_8);
            chunks.room(12 + text.length).putLong(preview.getKey()).putInt(text.length).put(text);
        }
        for (int i = 0; i < size; i++) {
            chunks.room(RowIndex.ROW_BYTES).putLong(lines[i]).putLong(offsets[i]).putInt(lengths[i]).putInt(characters[i])
                    .putLong(exact[i]).putLong(normalized[i]).putLong(inputs[i]).putLong(outputs[i]);
        }
        chunks.finish();
    }

    private void grow() {
        int capacity = lines.length * 2;
        lines = Arrays.copyOf(lines, capacity);
        offsets = Arrays.copyOf(offsets, capacity);
        lengths = Arrays.copyOf(lengths, capacity);
        characters = Arrays.copyOf(characters, capacity);
        exact = Arrays.copyOf(exact, capacity);
        normalized = Arrays.copyOf(normalized, capacity);
        inputs = Arrays.copyOf(inputs, capacity);
        outputs = Arrays.copyOf(outputs, capacity);
    }

    /** Encodes into one reused buffer and checksums whole buffers, not single values. */
    private static final class Chunks {
        private final OutputStream out;
        private final CRC32C crc = new CRC32C();
        private ByteBuffer buffer = ByteBuffer.allocate(1 << 16);

        Chunks(OutputStream out) {
            this.out = out;
        }

        ByteBuffer room(int bytes) throws IOException {
            if (buffer.remaining() < bytes) {
                flush();
                if (buffer.capacity() < bytes) {
                    buffer = ByteBuffer.allocate(bytes);
                }
            }
            return buffer;
        }

        void finish() throws IOException {
            flush();
            buffer.putInt((int) crc.getValue());
            out.write(buffer.array(), 0, buffer.position());
            out.flush();
        }

        private void flush() throws IOException {
            crc.update(buffer.array(), 0, buffer.position());
            out.write(buffer.array(), 0, buffer.position());
            buffer.clear();
        }
    }
}
