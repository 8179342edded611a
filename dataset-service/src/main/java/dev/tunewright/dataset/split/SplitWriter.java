package dev.tunewright.dataset.split;

import dev.tunewright.dataset.validation.RowEntry;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Cuts the train and validation files out of the stored upload by byte offset: the split files hold the
 * exact bytes of the uploaded rows (one per line, {@code \n}-terminated), so what the trainer reads is what
 * the team wrote, not a re-serialisation of it.
 */
public final class SplitWriter {

    private SplitWriter() {
    }

    public static void write(Path source, List<RowEntry> rows, SplitPlan plan, OutputStream train, OutputStream validation)
            throws IOException {
        forEachRow(source, rows, (index, bytes, offset, length) -> {
            OutputStream out = plan.isValidation(index) ? validation : train;
            out.write(bytes, offset, length);
            out.write('\n');
        });
    }

    /**
     * Receives one stored row: {@code bytes[offset, offset + length)} without line terminator or byte order mark.
     * The array is reused for the next row, so it is only valid during the call.
     */
    @FunctionalInterface
    public interface RowBytes {
        void accept(int index, byte[] bytes, int offset, int length) throws IOException;
    }

    /** Reads the given rows (in file order) from the stored file, one sequential pass. */
    public static void forEachRow(Path source, List<RowEntry> rows, RowBytes consumer) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(source), 1 << 16)) {
            byte[] bytes = new byte[4096];
            long position = 0;
            for (int i = 0; i < rows.size(); i++) {
                RowEntry row = rows.get(i);
                if (row.offset() < position) {
                    throw new IllegalStateException("rows must be in file order");
                }
                in.skipNBytes(row.offset() - position);
                int length = (int) row.length();
                if (bytes.length < length) {
                    bytes = new byte[Math.max(length, bytes.length * 2)];
                }
                if (in.readNBytes(bytes, 0, length) < length) {
                    throw new EOFException("the stored file ends inside row " + (i + 1) + " (line " + row.line() + ")");
                }
                position = row.offset() + length;
                int start = row.line() == 1 && hasBom(bytes, length) ? 3 : 0;
                int end = length > 0 && bytes[length - 1] == '\r' ? length - 1 : length;
                consumer.accept(i, bytes, start, end - start);
            }
        }
    }

    private static boolean hasBom(byte[] bytes, int length) {
        return length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF;
    }
}
