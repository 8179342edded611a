package dev.tunewright.dataset.validation;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Strict UTF-8 well-formedness check on raw bytes, without decoding them (the JSON parser decodes next). */
final class Utf8 {

    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Utf8() {
    }

    /** Index of the first byte that is not part of well-formed UTF-8, or -1 when all of it is well formed. */
    static int firstInvalid(byte[] bytes) {
        return firstInvalid(bytes, 0, bytes.length);
    }

    /**
     * The same for {@code bytes[from, to)}, as an index relative to {@code from}. Runs of ASCII, nearly all of a
     * typical dataset, are skipped eight bytes at a time.
     */
    static int firstInvalid(byte[] bytes, int from, int to) {
        int i = from;
        int n = to;
        while (i < n) {
            while (i + 8 <= n && ((long) WORDS.get(bytes, i) & 0x8080808080808080L) == 0) {
                i += 8;
            }
            if (i == n) {
                break;
            }
            int b = bytes[i] & 0xFF;
            if (b < 0x80) {
                i++;
                continue;
            }
            int need;
            int min;
            if (b >= 0xC2 && b <= 0xDF) {
                need = 1;
                min = 0x80;
            } else if (b >= 0xE0 && b <= 0xEF) {
                need = 2;
                min = 0x800;
            } else if (b >= 0xF0 && b <= 0xF4) {
                need = 3;
                min = 0x10000;
            } else {
                return i - from;
            }
            int cp = b & (0x3F >> need);
            for (int k = 1; k <= need; k++) {
                if (i + k >= n || (bytes[i + k] & 0xC0) != 0x80) {
                    return i - from;
                }
                cp = (cp << 6) | (bytes[i + k] & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                return i - from;
            }
            i += need + 1;
        }
        return -1;
    }
}
