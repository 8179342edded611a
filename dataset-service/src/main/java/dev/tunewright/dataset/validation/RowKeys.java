package dev.tunewright.dataset.validation;

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
     * practice, is normalised in the scratch arrays through a lookup table; other text goes through {@link Dedup#normalize} so that Unicode case folding and whitespace stay exact.
     */
    static final class Hasher {
        /** ASCII code unit to its normalised form: lower case, and a space for every whitespace character. */
        private static final char[] FOLD = new char[128];

        static {
            for (char c = 0; c < 128; c++) {
                FOLD[c] = Character.isWhitespace(c) ? ' ' : Character.toLowerCase(c);
            }
        }

        private char[] text = new char[1024];
        private char[] folded = new char[1024];

        RowKeys keys(String input, String output) {
            long rawInput = hash(input);
            long normalizedInput = hashNormalized(input);
            long rawOutput = hash(output);
            long normalizedOutput = hashNormalized(output);
            return new RowKeys(RowHash.combine(rawInput, rawOutput), RowHash.combine(normalizedInput, normalizedOutput),
                    normalizedInput, rawOutput);
        }

        /** Hashes the text and leaves its code units in {@code text} for {@link #hashNormalized}. */
        private long hash(String value) {
            int n = value.length();
            if (text.length < n) {
                text = new char[Math.max(n, text.length * 2)];
                folded = new char[text.length];
            }
            value.getChars(0, n, text, 0);
            return RowHash.of(text, n);
        }

        /** The hash of {@code Dedup.normalize(value)}, with {@code value}'s code units already in {@code text}. */
        private long hashNormalized(String value) {
            int n = value.length();
            int out = 0;
            // A space is kept only after a non-space, so leading and repeated whitespace disappear; the previous
            // character is carried in a local rather than read back from the array, which would chain every
            // iteration to the previous one's store.
            char previous = ' ';
            for (int i = 0; i < n; i++) {
                char c = text[i];
                if (c >= 128) {
                    return RowHash.of(Dedup.normalize(value));
                }
                char f = FOLD[c];
                folded[out] = f;
                out += f != ' ' || previous != ' ' ? 1 : 0;
                previous = f;
            }
            if (previous == ' ' && out > 0) {
                out--;
            }
            return RowHash.of(folded, out);
        }
    }
}
