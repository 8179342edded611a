package dev.tunewright.dataset.validation;

/**
 * A fast 64-bit hash of text for de-duplication, leakage and label counting. Cryptographic strength is not
 * needed (nobody gains by colliding their own rows) and a collision among a million rows has a probability
 * below 1e-7; SHA-256 per row cost more than parsing the JSON. Four independent lanes (the round structure of
 * xxHash64, over UTF-16 code units) keep the multiplier busy instead of waiting on one long chain: each row is
 * hashed four ways at upload, so this runs over every character of a file several times. Only equality of
 * hashes matters anywhere (splits depend on row order and labels on first appearance), so the function may
 * change as long as the row index records which one it used (see {@link RowIndex#VERSION}).
 */
final class RowHash {

    private static final long SEED = 0x9E3779B97F4A7C15L;
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
        for (int i = 0; i < n; i++) {
            chars[i] = text.charAt(i);
        }
        return of(chars, n);
    }

    /** The hash of {@code chars[0, n)}. */
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
        h ^= h >>> 33;
        h *= P2;
        h ^= h >>> 29;
        h *= P3;
        return h ^ (h >>> 32);
    }

    /** Hashes two texts as one value with an unambiguous boundary. */
    static long of(CharSequence first, CharSequence second) {
        return combine(of(first), of(second));
    }

    /** {@link #of(CharSequence, CharSequence)} from the two texts' own hashes. */
    static long combine(long first, long second) {
        long h = round(SEED, first) ^ Long.rotateLeft(round(P3, second), 31);
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
