package dev.tunewright.dataset.validation;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A fast 64-bit hash of text for de-duplication, leakage and label counting. Cryptographic strength is not
 * needed (nobody gains by colliding their own rows) and a collision among a million rows has a probability
 * below 1e-7; SHA-256 per row cost more than parsing the JSON. The round structure is xxHash64's, four
 * independent lanes that keep the multiplier busy instead of waiting on one long chain: each row is hashed
 * four ways at upload, so this runs over every character of a file several times. ASCII text, nearly all text,
 * is hashed as bytes eight at a time; other text as UTF-16 code units under another seed, so that a string has
 * one hash however it is computed. Only equality of hashes matters anywhere (splits depend on row order, labels
 * on first appearance), so the function may change with a new {@link RowIndex#VERSION}.
 */
final class RowHash {

    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long SEED = 0x9E3779B97F4A7C15L;
    private static final long ASCII_SEED = 0x2545F4914F6CDD1DL;
    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;
    private static final long P3 = 0x165667B19E3779F9L;
    private static final long P4 = 0x85EBCA77C2B2AE63L;
    private static final long P5 = 0x27D4EB2F165667C5L;

    private RowHash() {
    }

    static long of(CharSequence text) {
        int n = text.length();
        char[] chars = new char[n];
        byte[] ascii = new byte[n];
        int all = 0;
        for (int i = 0; i < n; i++) {
            chars[i] = text.charAt(i);
            ascii[i] = (byte) chars[i];
            all |= chars[i];
        }
        return all < 0x80 ? ofAscii(ascii, n) : of(chars, n);
    }

    /** {@link #of(CharSequence)} of ASCII text held as bytes {@code bytes[0, n)}. */
    static long ofAscii(byte[] bytes, int n) {
        int i = 0;
        long h;
        if (n >= 32) {
            long v1 = ASCII_SEED + P1 + P2;
            long v2 = ASCII_SEED + P2;
            long v3 = ASCII_SEED;
            long v4 = ASCII_SEED - P1;
            for (; i + 32 <= n; i += 32) {
                v1 = round(v1, (long) WORDS.get(bytes, i));
                v2 = round(v2, (long) WORDS.get(bytes, i + 8));
                v3 = round(v3, (long) WORDS.get(bytes, i + 16));
                v4 = round(v4, (long) WORDS.get(bytes, i + 24));
            }
            h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
            h = merge(merge(merge(merge(h, v1), v2), v3), v4);
        } else {
            h = ASCII_SEED + P5;
        }
        h += n;
        for (; i + 8 <= n; i += 8) {
            h ^= round(0, (long) WORDS.get(bytes, i));
            h = Long.rotateLeft(h, 27) * P1 + P4;
        }
        for (; i < n; i++) {
            h ^= (bytes[i] & 0xFFL) * P5;
            h = Long.rotateLeft(h, 11) * P1;
        }
        return avalanche(h);
    }

    /** {@link #of(CharSequence)} of text that is not all ASCII, as UTF-16 code units {@code chars[0, n)}. */
    static long of(char[] chars, int n) {
        int i = 0;
        long h;
        if (n >= 16) {
            long v1 = SEED + P1 + P2;
            long v2 = SEED + P2;
            long v3 = SEED;
            long v4 = SEED - P1;
            for (; i + 16 <= n; i += 16) {
                v1 = round(v1, block(chars, i));
                v2 = round(v2, block(chars, i + 4));
                v3 = round(v3, block(chars, i + 8));
                v4 = round(v4, block(chars, i + 12));
            }
            h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
            h = merge(merge(merge(merge(h, v1), v2), v3), v4);
        } else {
            h = SEED + P5;
        }
        h += n;
        for (; i + 4 <= n; i += 4) {
            h ^= round(0, block(chars, i));
            h = Long.rotateLeft(h, 27) * P1 + P4;
        }
        if (i < n) {
            long tail = 0;
            for (int shift = 0; i < n; i++, shift += 16) {
                tail |= (long) chars[i] << shift;
            }
            h ^= tail * P5;
            h = Long.rotateLeft(h, 11) * P1;
        }
        return avalanche(h);
    }

    /** Hashes two texts as one value with an unambiguous boundary. */
    static long of(CharSequence first, CharSequence second) {
        return combine(of(first), of(second));
    }

    /** {@link #of(CharSequence, CharSequence)} from the two texts' own hashes. */
    static long combine(long first, long second) {
        return avalanche(round(SEED, first) ^ Long.rotateLeft(round(P3, second), 31));
    }

    private static long avalanche(long h) {
        h ^= h >>> 33;
        h *= P2;
        h ^= h >>> 29;
        h *= P3;
        return h ^ (h >>> 32);
    }

    private static long block(char[] chars, int i) {
        return chars[i] | ((long) chars[i + 1] << 16) | ((long) chars[i + 2] << 32) | ((long) chars[i + 3] << 48);
    }

    private static long round(long acc, long input) {
        return Long.rotateLeft(acc + input * P2, 31) * P1;
    }

    private static long merge(long h, long v) {
        return (h ^ round(0, v)) * P1 + P4;
    }
}
