package dev.tunewright.dataset.validation;

/**
 * A fast 64-bit hash of text for de-duplication, leakage and label counting. Cryptographic strength is not
 * needed (nobody gains by colliding their own rows) and a collision among a million rows has a probability
 * below 1e-7; SHA-256 per row cost more than parsing the JSON.
 */
final class RowHash {

    private static final long SEED = 0x9E3779B97F4A7C15L;

    private RowHash() {
    }

    static long of(CharSequence text) {
        long h = SEED ^ text.length();
        int i = 0;
        int n = text.length();
        for (; i + 3 < n; i += 4) {
            long block = text.charAt(i) | ((long) text.charAt(i + 1) << 16) | ((long) text.charAt(i + 2) << 32)
                    | ((long) text.charAt(i + 3) << 48);
            h = mix(h ^ mix(block));
        }
        long tail = 0;
        for (int shift = 0; i < n; i++, shift += 16) {
            tail |= (long) text.charAt(i) << shift;
        }
        return finish(h ^ mix(tail));
    }

    /** Hashes two texts as one value with an unambiguous boundary. */
    static long of(CharSequence first, CharSequence second) {
        return finish(mix(of(first)) ^ Long.rotateLeft(of(second), 31) ^ 0x5851F42D4C957F2DL);
    }

    private static long mix(long k) {
        k *= 0x87C37B91114253D5L;
        k = Long.rotateLeft(k, 31);
        return k * 0x4CF5AD432745937FL;
    }

    private static long finish(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        return h ^ (h >>> 33);
    }
}
