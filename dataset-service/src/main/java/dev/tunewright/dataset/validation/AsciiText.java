package dev.tunewright.dataset.validation;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * {@link Dedup#normalize} for ASCII text held as bytes, eight at a time: every row's prompt is normalised at upload,
 * and doing it a character at a time cost more than parsing the row. Case is folded and whitespace mapped with
 * bitwise arithmetic on a whole 64-bit word; only a word where whitespace repeats (or starts the text) is copied a
 * byte at a time to drop the repeats.
 */
final class AsciiText {

    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long SPACES = 0x2020202020202020L;
    /** ASCII byte to its normalised form: lower case, and a space for every whitespace character. */
    private static final byte[] FOLD = new byte[128];

    static {
        for (char c = 0; c < 128; c++) {
            FOLD[c] = (byte) (Character.isWhitespace(c) ? ' ' : Character.toLowerCase(c));
        }
    }

    private AsciiText() {
    }

    /**
     * Writes {@code Dedup.normalize} of the ASCII text {@code in[0, n)} to {@code out}, which must hold {@code n + 8}
     * bytes, and returns its length.
     */
    static int normalize(byte[] in, int n, byte[] out) {
        int o = 0;
        boolean afterSpace = true; // leading whitespace is dropped like repeated whitespace
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            long x = (long) WORDS.get(in, i);
            long upper = atLeast(x, 'A') & ~atLeast(x, 'Z' + 1);
            long space = (atLeast(x, '\t') & ~atLeast(x, '\r' + 1)) | (atLeast(x, 0x1C) & ~atLeast(x, ' ' + 1));
            long spaceBytes = (space >>> 7) * 0xFF;
            long folded = ((x + (upper >>> 2)) & ~spaceBytes) | (spaceBytes & SPACES);
            long repeated = space & ((space << 8) | (afterSpace ? 0x80L : 0));
            if (repeated == 0) {
                WORDS.set(out, o, folded);
                o += 8;
                afterSpace = space < 0;
            } else {
                for (int k = i; k < i + 8; k++) {
                    byte f = FOLD[in[k]];
                    boolean isSpace = f == ' ';
                    if (!isSpace || !afterSpace) {
                        out[o++] = f;
                    }
                    afterSpace = isSpace;
                }
            }
        }
        for (; i < n; i++) {
            byte f = FOLD[in[i]];
            boolean isSpace = f == ' ';
            if (!isSpace || !afterSpace) {
                out[o++] = f;
            }
            afterSpace = isSpace;
        }
        return afterSpace && o > 0 ? o - 1 : o;
    }

    /** Whether {@code bytes[0, n)} contains {@code value}. */
    static boolean contains(byte[] bytes, int n, byte value) {
        long pattern = (value & 0xFFL) * ONES;
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            long t = (long) WORDS.get(bytes, i) ^ pattern;
            if (((t - ONES) & ~t & HIGHS) != 0) {
                return true;
            }
        }
        for (; i < n; i++) {
            if (bytes[i] == value) {
                return true;
            }
        }
        return false;
    }

    /** The high bit of every byte of {@code x} (all below 0x80) that is at least {@code limit}. */
    private static long atLeast(long x, int limit) {
        return (x + (0x80 - limit) * ONES) & HIGHS;
    }
}
