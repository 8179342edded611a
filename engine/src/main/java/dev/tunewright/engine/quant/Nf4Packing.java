package dev.tunewright.engine.quant;

/**
 * Two 4-bit codes per byte, the first of each pair in the high nibble (the order bitsandbytes stores NF4
 * in), so the packed array is half a byte per weight.
 */
public final class Nf4Packing {

    private Nf4Packing() {}

    /** Codes 0..15, an even count of them, two per byte. */
    public static byte[] pack(int[] codes) {
        if (codes.length % 2 != 0) {
            throw new IllegalArgumentException("an even number of codes packs into bytes, got " + codes.length);
        }
        byte[] out = new byte[codes.length / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = codes[2 * i];
            int lo = codes[2 * i + 1];
            if ((hi | lo) >>> 4 != 0) {
                throw new IllegalArgumentException("code out of 0..15 at " + 2 * i + ": " + hi + ", " + lo);
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }

    /** The first {@code count} codes of {@code packed}. */
    public static int[] unpack(byte[] packed, int count) {
        if (count < 0 || count > 2L * packed.length) {
            throw new IllegalArgumentException(count + " codes do not fit in " + packed.length + " bytes");
        }
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            int b = packed[i >>> 1] & 0xFF;
            out[i] = (i & 1) == 0 ? b >>> 4 : b & 0xF;
        }
        return out;
    }
}
