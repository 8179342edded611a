package dev.tunewright.dataset.validation;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds a byte eight at a time. Every byte of an upload is searched twice, for the multipart boundary's first byte
 * and for the line break, and a byte-at-a-time loop over 50 MB cost as much as validating the rows in it.
 */
public final class ByteSearch {

    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    private ByteSearch() {
    }

    /** The first index in {@code [from, to)} holding {@code value}, or -1. */
    public static int indexOf(byte[] bytes, int from, int to, byte value) {
        long pattern = (value & 0xFFL) * ONES;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long t = (long) WORDS.get(bytes, i) ^ pattern;
            // Flags every zero byte of t; a borrow can flag bytes after the first zero, never before it.
            long zeros = (t - ONES) & ~t & HIGHS;
            if (zeros != 0) {
                return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (bytes[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
