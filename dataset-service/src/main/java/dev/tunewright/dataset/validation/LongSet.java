package dev.tunewright.dataset.validation;

/**
 * A set of 64-bit keys in one open-addressed array: de-duplicating a million rows through {@code HashSet<Long>}
 * costs a boxed key and a node per row (about 50 bytes) where this costs 16 at most.
 */
final class LongSet {

    private static final long EMPTY = 0;

    private long[] slots;
    private int size;
    private boolean hasEmptyKey;

    LongSet(int expected) {
        slots = new long[Integer.highestOneBit(Math.max(16, expected * 2) - 1) << 1];
    }

    /** Adds the key; false when it was already there. */
    boolean add(long key) {
        if (key == EMPTY) {
            boolean added = !hasEmptyKey;
            hasEmptyKey = true;
            return added;
        }
        if ((size + 1) * 2 > slots.length) {
            grow();
        }
        if (!insert(slots, key)) {
            return false;
        }
        size++;
        return true;
    }

    private static boolean insert(long[] table, long key) {
        int mask = table.length - 1;
        int i = (int) (key ^ (key >>> 32)) * 0x9E3779B9 & mask;
        while (table[i] != EMPTY) {
            if (table[i] == key) {
                return false;
            }
            i = (i + 1) & mask;
        }
        table[i] = key;
        return true;
    }

    private void grow() {
        long[] bigger = new long[slots.length * 2];
        for (long key : slots) {
            if (key != EMPTY) {
                insert(bigger, key);
            }
        }
        slots = bigger;
    }
}
