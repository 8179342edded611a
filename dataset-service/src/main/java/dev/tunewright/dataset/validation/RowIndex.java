package dev.tunewright.dataset.validation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The row index: what the upload scan learned about each valid row, stored next to the file so that creating a
 * dataset reads a few bytes per row instead of parsing the whole file again. It holds every valid row (byte range,
 * line, size) with the keys of {@link RowKeys} and the preview of each distinct response, enough to reproduce
 * exactly what {@link DatasetScanner} with any {@link Dedup} mode would keep.
 *
 * <p>Layout, big-endian: a header (magic, version, the file's size and SHA-256, the validation limits it was built
 * under, the file's line count, flags, the row and preview counts), the previews (hash, UTF-8 length, text), the
 * rows ({@value #ROW_BYTES} bytes each), and a CRC-32C of everything before it. A reader trusts nothing it has not
 * checked: another version, another file, a wrong size or checksum makes it refuse, and the caller scans the file.
 */
public final class RowIndex {

    static final int MAGIC = 0x54575249; // "TWRI"
    /** 3: rows valid under the engine's row contract (tool messages and non-string names are no longer valid). */
    static final int VERSION = 3;
    static final int HEADER_BYTES = 4 + 4 + 8 + 32 + 4 + 8 + 4 + 8 + 1 + 4 + 4;
    static final int ROW_BYTES = 8 + 8 + 4 + 4 + 8 + 8 + 8 + 8;
    static final byte ROW_LIMIT_REACHED = 1;
    static final byte PREVIEWS_OVERFLOWED = 2;
    private static final int MAX_PREVIEW_BYTES = 4096;
    private static final int ROWS_PER_READ = 1024;

    /** The index cannot be trusted: damaged, truncated, of another version or of another file. */
    public static final class InvalidIndexException extends IOException {
        InvalidIndexException(String message) {
            super(message);
        }
    }

    private RowIndex() {
    }

    /**
     * The rows a {@link DatasetScanner} with {@code dedup} would keep from the indexed file, read from the index.
     * Empty when a sound index still cannot answer: it was built under other validation limits, the file hit the row
     * limit (de-duplication would then have kept later rows the index does not have), or de-duplication leaves
     * responses whose previews were not kept. The caller then scans the file.
     *
     * @throws InvalidIndexException when the index is damaged or belongs to another file or version
     */
    public static Optional<DedupedRows> replay(InputStream in, long fileBytes, String fileSha256, ValidationLimits limits,
            Dedup dedup) throws IOException {
        Reader reader = new Reader(in);
        ByteBuffer header = reader.read(HEADER_BYTES);
        check(header.getInt() == MAGIC, "not a row index");
        int version = header.getInt();
        check(version == VERSION, "row index version " + version + ", this service reads version " + VERSION);
        long indexedBytes = header.getLong();
        byte[] sha = new byte[32];
        header.get(sha);
        check(indexedBytes == fileBytes && Arrays.equals(sha, HexFormat.of().parseHex(fileSha256)), "row index of another file");
        boolean sameLimits = header.getInt() == limits.maxLineBytes() & header.getLong() == limits.maxRows()
                & header.getInt() == limits.maxMessages();
        long fileLines = header.getLong();
        byte flags = header.get();
        int rowCount = header.getInt();
        int previewCount = header.getInt();
        check(rowCount >= 0 && previewCount >= 0 && previewCount <= LabelCounter.MAX_TRACKED && fileLines >= rowCount,
                "row index header out of range");
        Map<Long, String> previews = new HashMap<>(previewCount * 2);
        for (int i = 0; i < previewCount; i++) {
            ByteBuffer entry = reader.read(12);
            long hash = entry.getLong();
            int length = entry.getInt();
            check(length >= 0 && length <= MAX_PREVIEW_BYTES, "row index preview out of range");
            previews.put(hash, StandardCharsets.UTF_8.decode(reader.read(length)).toString());
        }
        Replay replay = new Replay(dedup, rowCount, previews, limits.maxReportedProblems());
        long lastOffset = -1;
        long lastLine = 0;
        for (int done = 0; done < rowCount; ) {
            int batch = Math.min(ROWS_PER_READ, rowCount - done);
            ByteBuffer rows = reader.read(batch * ROW_BYTES);
            for (int i = 0; i < batch; i++) {
                long line = rows.getLong();
                long offset = rows.getLong();
                int length = rows.getInt();
                int characters = rows.getInt();
                check(line > lastLine && line <= fileLines && offset > lastOffset && length >= 0
                        && offset + length <= fileBytes, "row index row out of range");
                lastLine = line;
                lastOffset = offset;
                replay.row(line, offset, length, characters, rows.getLong(), rows.getLong(), rows.getLong(), rows.getLong());
            }
            done += batch;
        }
        int expected = (int) reader.crc.getValue();
        check(reader.read(4).getInt() == expected, "row index checksum mismatch");
        check(in.read() < 0, "row index longer than its rows");
        if (!sameLimits || ((flags & ROW_LIMIT_REACHED) != 0 && dedup != Dedup.NONE) || !replay.answerable()) {
            return Optional.empty();
        }
        return Optional.of(replay.result());
    }

    private static void check(boolean condition, String problem) throws InvalidIndexException {
        if (!condition) {
            throw new InvalidIndexException(problem);
        }
    }

    /** Applies the scanner's de-duplication and label numbering to indexed rows, in file order. */
    private static final class Replay {
        private final Dedup dedup;
        private final Map<Long, String> previews;
        private final int maxReported;
        private final LongSet seen;
        private final LabelCounter labels = new LabelCounter(LabelCounter.MAX_TRACKED);
        private final List<RowEntry> rows;
        private final List<Long> duplicateLines = new ArrayList<>();
        private long duplicates;
        private boolean previewMissing;

        Replay(Dedup dedup, int rowCount, Map<Long, String> previews, int maxReported) {
            this.dedup = dedup;
            this.previews = previews;
            this.maxReported = maxReported;
            // Sized for the claimed count only up to a bound: the count is not yet covered by the checksum.
            int expected = Math.min(rowCount, 1 << 20);
            this.seen = dedup == Dedup.NONE ? null : new LongSet(expected);
            this.rows = new ArrayList<>(expected);
        }

        void row(long line, long offset, int length, int characters, long exact, long normalized, long input, long output) {
            if (dedup != Dedup.NONE && !seen.add(dedup == Dedup.NORMALIZED ? normalized : exact)) {
                duplicates++;
                if (duplicateLines.size() < maxReported) {
                    duplicateLines.add(line);
                }
                return;
            }
            String preview = null;
            if (labels.needsPreview(output)) {
                preview = previews.get(output);
                previewMissing |= preview == null;
            }
            rows.add(new RowEntry(line, offset, length, input, labels.addPreviewed(output, preview), characters));
        }

        /**
         * False when a kept response's preview is missing and the labels did not overflow: the labels list needs
         * it. Once labels overflow their previews are dropped anyway, and ids depend only on first appearance.
         */
        boolean answerable() {
            return !previewMissing || labels.overflowed();
        }

        DedupedRows result() {
            boolean overflowed = labels.overflowed();
            return new DedupedRows(List.copyOf(rows), duplicates, List.copyOf(duplicateLines),
                    overflowed ? List.of() : labels.labels(), overflowed);
        }
    }

    /** Reads exact byte counts and checksums everything it hands out. */
    private static final class Reader {
        private final InputStream in;
        private final CRC32C crc = new CRC32C();
        private byte[] buffer = new byte[ROWS_PER_READ * ROW_BYTES];

        Reader(InputStream in) {
            this.in = in;
        }

        ByteBuffer read(int bytes) throws IOException {
            if (buffer.length < bytes) {
                buffer = new byte[bytes];
            }
            int got = in.readNBytes(buffer, 0, bytes);
            if (got < bytes) {
                throw new InvalidIndexException("row index truncated");
            }
            ByteBuffer view = ByteBuffer.wrap(buffer, 0, bytes);
            crc.update(buffer, 0, bytes);
            return view;
        }
    }
}
