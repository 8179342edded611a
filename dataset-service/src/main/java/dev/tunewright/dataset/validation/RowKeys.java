package dev.tunewright.dataset.validation;

import java.nio.charset.StandardCharsets;

/**
 * The 64-bit keys of one valid row that de-duplication, grouping and stratification need, all computed in the
 * one pass that reads the row: the exact and the normalised (prompt, response) key for the two de-duplication
 * modes, the normalised prompt that groups rows so that they never straddle train and validation, and the
 * response that tells labels apart. Keeping them means a dataset is cut from the stored file without parsing it
 * again, whichever de-duplication mode it asks for.
 */
record RowKeys(long exact, long normalized, long input, long output) {

    /**
     * Computes keys with reusable scratch space (one per scan, not thread-safe). ASCII text, almost all text in
     * practice, is hashed and normalised as bytes ({@link AsciiText}); other text goes through
     * {@link Dedup#normalize} so that Unicode case folding and whitespace stay exact.
     */
    static final class Hasher {
        private byte[] folded = new byte[1024];
        private long raw;
        private long normalized;

        RowKeys keys(String input, String output) {
            hash(input);
            long rawInput = raw;
            long normalizedInput = normalized;
            hash(output);
            return new RowKeys(RowHash.combine(rawInput, raw), RowHash.combine(normalizedInput, normalized),
                    normalizedInput, raw);
        }

        /** Sets {@code raw} to {@code RowHash.of(text)} and {@code normalized} to that of its normalised form. */
        private void hash(String text) {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            int n = utf8.length;
            // One byte per character is ASCII, unless a lone surrogate (only a JSON escape makes one) became '?'.
            if (n != text.length() || (AsciiText.contains(utf8, n, (byte) '?') && hasSurrogate(text))) {
                raw = RowHash.of(text);
                normalized = RowHash.of(Dedup.normalize(text));
                return;
            }
            if (folded.length < n + 8) {
                folded = new byte[Math.max(n + 8, folded.length * 2)];
            }
            raw = RowHash.ofAscii(utf8, n);
            normalized = RowHash.ofAscii(folded, AsciiText.normalize(utf8, n, folded));
        }

        private static boolean hasSurrogate(String text) {
            for (int i = 0; i < text.length(); i++) {
                if (Character.isSurrogate(text.charAt(i))) {
                    return true;
                }
            }
            return false;
        }
    }
}
