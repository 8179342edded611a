package dev.tunewright.dataset.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RowIndexTest {

    /** An uploaded file with its index, as the upload writes them. */
    private record Indexed(byte[] file, String sha256, byte[] index) {

        static Indexed of(String content, ValidationLimits limits) throws IOException {
            byte[] file = content.getBytes(StandardCharsets.UTF_8);
            RowIndexBuilder builder = new RowIndexBuilder(limits);
            ScanResult scan = new DatasetScanner(limits, Dedup.NONE).scan(new ByteArrayInputStream(file), builder);
            assertThat(builder.size()).isEqualTo(scan.rowCount());
            assertThat(scan.rows()).isEmpty();
            String sha256 = RowIndexTest.sha256(file);
            ByteArrayOutputStream index = new ByteArrayOutputStream();
            builder.writeTo(index, file.length, sha256, scan.lines());
            return new Indexed(file, sha256, index.toByteArray());
        }

        Optional<DedupedRows> replay(Dedup dedup, ValidationLimits limits) throws IOException {
            return replay(index, dedup, limits);
        }

        Optional<DedupedRows> replay(byte[] indexBytes, Dedup dedup, ValidationLimits limits) throws IOException {
            return RowIndex.replay(new ByteArrayInputStream(indexBytes), file.length, sha256, limits, dedup);
        }

        DedupedRows scan(Dedup dedup, ValidationLimits limits) throws IOException {
            return DedupedRows.of(new DatasetScanner(limits, dedup).scan(new ByteArrayInputStream(file)));
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Duplicates exact and up to case and spacing, Unicode, invalid and blank lines, CRLF, and labels. */
    private static String mixedFile() {
        Random random = new Random(5);
        String[] words = {"Hello", "hello", "WORLD", "world", "café", "Ünïcode", "İstanbul", "ΣΟΦΙΑ", "straße", "\\t",
            "\\u00a0", "\\u2003", "😀", "A", "a", "  "};
        StringBuilder content = new StringBuilder("\uFEFF");
        for (int i = 0; i < 600; i++) {
            String prompt = phrase(random, words);
            String completion = random.nextInt(3) == 0 ? "label " + random.nextInt(4) : phrase(random, words);
            content.append("{\"prompt\":\"").append(prompt).append("\",\"completion\":\"").append(completion).append("\"}\n");
            switch (random.nextInt(8)) {
                case 0 -> content.append("{\"completion\":\"").append(completion).append("\",\"prompt\":\"").append(prompt)
                        .append("\"}\r\n");
                case 1 -> content.append("{\"prompt\":\"").append(prompt.toUpperCase(java.util.Locale.ROOT).replace("\\T", "\\t")
                        .replace("\\U", "\\u")).append("  \",\"completion\":\" ").append(completion).append("\"}\n");
                case 2 -> content.append("not json\n");
                case 3 -> content.append("\n");
                default -> { }
            }
        }
        return content.toString();
    }

    private static String phrase(Random random, String[] words) {
        StringBuilder phrase = new StringBuilder();
        for (int i = 0, n = 1 + random.nextInt(5); i < n; i++) {
            phrase.append(words[random.nextInt(words.length)]).append(random.nextInt(4) == 0 ? "  " : " ");
        }
        return phrase.toString();
    }

    @Test
    void replayKeepsExactlyWhatAScanKeepsInEveryDedupMode() throws IOException {
        String chat = "{\"messages\":[{\"role\":\"system\",\"content\":\"\"},{\"role\":\"user\",\"content\":\"Hi  there\"},"
                + "{\"role\":\"assistant\",\"content\":\"Hello\",\"weight\":1}]}\n"
                + "{\"messages\":[{\"role\":\"user\",\"content\":\"hi there\"},{\"role\":\"assistant\",\"content\":\"hello\"}]}\n"
                + "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi  there\"},{\"role\":\"assistant\",\"content\":\"Hello\"}]}\n";
        for (String content : new String[] {mixedFile(), chat}) {
            Indexed indexed = Indexed.of(content, ValidationLimits.DEFAULTS);
            for (Dedup dedup : Dedup.values()) {
                DedupedRows scanned = indexed.scan(dedup, ValidationLimits.DEFAULTS);
                assertThat(indexed.replay(dedup, ValidationLimits.DEFAULTS)).as("dedup %s", dedup).contains(scanned);
            }
        }
    }

    @Test
    void labelsAreNumberedAndCountedAsTheScanDoes() throws IOException {
        StringBuilder content = new StringBuilder();
        for (int i = 0; i < 90; i++) {
            content.append("{\"prompt\":\"item ").append(i % 60).append("\",\"completion\":\"")
                    .append(i % 3 == 0 ? "spam" : "ham").append("\"}\n");
        }
        Indexed indexed = Indexed.of(content.toString(), ValidationLimits.DEFAULTS);
        DedupedRows rows = indexed.replay(Dedup.EXACT, ValidationLimits.DEFAULTS).orElseThrow();
        assertThat(rows.labels()).containsExactly(new LabelCount("spam", 20), new LabelCount("ham", 40));
        assertThat(rows.rows()).extracting(RowEntry::labelId).startsWith(0, 1, 1, 0);
        assertThat(rows.duplicateCount()).isEqualTo(30);
    }

    @Test
    void normalizedDedupNeedingPreviewsTheIndexDidNotKeepFallsBackToTheScan() throws IOException {
        // Every second row repeats the previous one up to case; the file has 1,100 distinct responses (more than
        // are tracked) but normalised de-duplication leaves 550, so the scan tracks them as labels.
        StringBuilder interleaved = new StringBuilder();
        StringBuilder grouped = new StringBuilder();
        for (int k = 0; k < 550; k++) {
            interleaved.append(row("Question " + k, "Answer " + k)).append(row("question " + k, "ANSWER " + k));
            grouped.append(row("Question " + k, "Answer " + k));
        }
        for (int k = 0; k < 550; k++) {
            grouped.append(row("question " + k, "ANSWER " + k));
        }
        Indexed late = Indexed.of(interleaved.toString(), ValidationLimits.DEFAULTS);
        assertThat(late.scan(Dedup.NORMALIZED, ValidationLimits.DEFAULTS).labels()).hasSize(550);
        assertThat(late.replay(Dedup.NORMALIZED, ValidationLimits.DEFAULTS)).isEmpty();
        assertThat(late.replay(Dedup.EXACT, ValidationLimits.DEFAULTS)).contains(late.scan(Dedup.EXACT, ValidationLimits.DEFAULTS));

        Indexed early = Indexed.of(grouped.toString(), ValidationLimits.DEFAULTS);
        assertThat(early.replay(Dedup.NORMALIZED, ValidationLimits.DEFAULTS))
                .contains(early.scan(Dedup.NORMALIZED, ValidationLimits.DEFAULTS));
    }

    @Test
    void freeFormResponsesNeedNoPreviewsOnceTheyOverflowTheTrackedLabels() throws IOException {
        StringBuilder content = new StringBuilder();
        for (int k = 0; k < 1_500; k++) {
            content.append(row("Question " + k, "Answer " + k)).append(row("question " + k, "ANSWER " + k));
        }
        Indexed indexed = Indexed.of(content.toString(), ValidationLimits.DEFAULTS);
        DedupedRows scanned = indexed.scan(Dedup.NORMALIZED, ValidationLimits.DEFAULTS);
        assertThat(scanned.labelsOverflowed()).isTrue();
        assertThat(indexed.replay(Dedup.NORMALIZED, ValidationLimits.DEFAULTS)).contains(scanned);
    }

    private static String row(String prompt, String completion) {
        return "{\"prompt\":\"" + prompt + "\",\"completion\":\"" + completion + "\"}\n";
    }

    @Test
    void anIndexBuiltUnderOtherLimitsOrCutByTheRowLimitIsNotUsedForDedup() throws IOException {
        String content = row("a", "b") + row("a", "b") + row("c", "d");
        Indexed indexed = Indexed.of(content, ValidationLimits.DEFAULTS);
        assertThat(indexed.replay(Dedup.EXACT, new ValidationLimits(4096, 1_000_000, 1_000, 256))).isEmpty();
        assertThat(indexed.replay(Dedup.EXACT, new ValidationLimits(1 << 20, 1_000_000, 5, 256))).isPresent();

        ValidationLimits twoRows = new ValidationLimits(1 << 20, 2, 1_000, 256);
        Indexed cut = Indexed.of(content, twoRows);
        assertThat(cut.replay(Dedup.EXACT, twoRows)).isEmpty();
        assertThat(cut.replay(Dedup.NONE, twoRows)).contains(cut.scan(Dedup.NONE, twoRows));
    }

    @Test
    void truncatedOrExtendedIndexIsRejected() throws IOException {
        Indexed indexed = Indexed.of(mixedFile(), ValidationLimits.DEFAULTS);
        byte[] index = indexed.index();
        for (int length : new int[] {0, 3, RowIndex.HEADER_BYTES - 1, RowIndex.HEADER_BYTES + 5, index.length / 2,
            index.length - 4, index.length - 1}) {
            byte[] cut = Arrays.copyOf(index, length);
            assertThatThrownBy(() -> indexed.replay(cut, Dedup.EXACT, ValidationLimits.DEFAULTS)).as("cut at %d", length)
                    .isInstanceOf(RowIndex.InvalidIndexException.class);
        }
        byte[] longer = Arrays.copyOf(index, index.length + 1);
        assertThatThrownBy(() -> indexed.replay(longer, Dedup.EXACT, ValidationLimits.DEFAULTS))
                .isInstanceOf(RowIndex.InvalidIndexException.class).hasMessageContaining("longer");
    }

    @Test
    void anyDamagedByteIsRejected() throws IOException {
        Indexed indexed = Indexed.of(mixedFile(), ValidationLimits.DEFAULTS);
        byte[] index = indexed.index();
        Random random = new Random(11);
        for (int trial = 0; trial < 200; trial++) {
            byte[] damaged = index.clone();
            int at = trial < 100 ? random.nextInt(index.length) : RowIndex.HEADER_BYTES + random.nextInt(64);
            damaged[at] ^= (byte) (1 << random.nextInt(8));
            assertThatThrownBy(() -> indexed.replay(damaged, Dedup.NORMALIZED, ValidationLimits.DEFAULTS))
                    .as("byte %d flipped", at).isInstanceOf(RowIndex.InvalidIndexException.class);
        }
    }

    @Test
    void anotherVersionOrAnotherFilesIndexIsRejected() throws IOException {
        Indexed indexed = Indexed.of(mixedFile(), ValidationLimits.DEFAULTS);
        byte[] newer = indexed.index().clone();
        ByteBuffer.wrap(newer).putInt(4, RowIndex.VERSION + 1);
        assertThatThrownBy(() -> indexed.replay(newer, Dedup.EXACT, ValidationLimits.DEFAULTS))
                .isInstanceOf(RowIndex.InvalidIndexException.class).hasMessageContaining("version");

        Indexed other = Indexed.of(row("x", "y"), ValidationLimits.DEFAULTS);
        assertThatThrownBy(() -> indexed.replay(other.index(), Dedup.EXACT, ValidationLimits.DEFAULTS))
                .isInstanceOf(RowIndex.InvalidIndexException.class).hasMessageContaining("another file");
        assertThatThrownBy(() -> RowIndex.replay(new ByteArrayInputStream(indexed.file()), indexed.file().length,
                indexed.sha256(), ValidationLimits.DEFAULTS, Dedup.EXACT))
                .isInstanceOf(RowIndex.InvalidIndexException.class).hasMessageContaining("not a row index");
    }

    @Test
    void onlyAScanWithoutDedupCanBuildAnIndex() {
        assertThatThrownBy(() -> new DatasetScanner(ValidationLimits.DEFAULTS, Dedup.EXACT)
                .scan(new ByteArrayInputStream(new byte[0]), new RowIndexBuilder(ValidationLimits.DEFAULTS)))
                .isInstanceOf(IllegalStateException.class);
    }
}
