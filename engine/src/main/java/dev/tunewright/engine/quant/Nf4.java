package dev.tunewright.engine.quant;

import java.util.Arrays;

/**
 * NormalFloat-4 (NF4) block quantization as the QLoRA paper defines it: each block of {@value #BLOCK_SIZE}
 * weights is divided by its absolute maximum and every value is replaced by the nearest of 16 levels that
 * are quantiles of a standard normal scaled to [-1, 1] (with an exact zero), so a normally distributed
 * weight uses every code about equally often. The block maxima are then themselves quantized to 8 bits
 * ({@link DoubleQuantizedScales}), which is what brings the cost to about 0.516 bytes per weight.
 */
public final class Nf4 {

    /** Weights per absmax block, as in QLoRA. */
    public static final int BLOCK_SIZE = 64;

    /** The 16 NF4 levels in code order (code 7 is exact zero), as published with the QLoRA paper. */
    private static final float[] LEVELS = {
        -1.0f, -0.6961928009986877f, -0.5250730514526367f, -0.39491748809814453f,
        -0.28444138169288635f, -0.18477343022823334f, -0.09105003625154495f, 0.0f,
        0.07958029955625534f, 0.16093020141124725f, 0.24611230194568634f, 0.33791524171829224f,
        0.44070982933044434f, 0.5626170039176941f, 0.7229568362236023f, 1.0f,
    };

    /** Decision boundaries halfway between neighbouring levels: a value maps to the nearest level. */
    private static final float[] MIDPOINTS = midpoints();

    private Nf4() {}

    /** The level a code stands for, in [-1, 1]. */
    public static float level(int code) {
        return LEVELS[code];
    }

    /** All 16 levels in code order (a copy). */
    public static float[] levels() {
        return LEVELS.clone();
    }

    /** The widest distance between neighbouring levels; half of it bounds the error on a normalized value. */
    public static float largestGap() {
        float gap = 0;
        for (int i = 1; i < LEVELS.length; i++) {
            gap = Math.max(gap, LEVELS[i] - LEVELS[i - 1]);
        }
        return gap;
    }

    /** The code of the level nearest to {@code normalized} (expected in [-1, 1]; outside it clamps). */
    public static int code(float normalized) {
        int i = Arrays.binarySearch(MIDPOINTS, normalized);
        // exact hits on a midpoint round up; otherwise the insertion point is the code
        return i >= 0 ? i + 1 : -i - 1;
    }

    /**
     * Quantizes a row-major weight: per-block absmax, NF4 codes packed two per byte, absmax double-quantized.
     * The last block is padded with zeros when the size is not a multiple of {@value #BLOCK_SIZE}.
     *
     * @param shape the weight's shape, e.g. (out, in); its product must equal {@code weight.length}
     */
    public static QuantizedWeight quantize(float[] weight, long... shape) {
        long count = QuantizedWeight.count(shape);
        if (count != weight.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + count
                    + " values, the weight has " + weight.length);
        }
        int blocks = (weight.length + BLOCK_SIZE - 1) / BLOCK_SIZE;
        float[] absmax = new float[blocks];
        int[] codes = new int[blocks * BLOCK_SIZE];
        for (int b = 0; b < blocks; b++) {
            int from = b * BLOCK_SIZE;
            int to = Math.min(from + BLOCK_SIZE, weight.length);
            float max = 0;
            for (int i = from; i < to; i++) {
                max = Math.max(max, Math.abs(weight[i]));
            }
            absmax[b] = max;
            for (int i = from; i < from + BLOCK_SIZE; i++) {
                codes[i] = i < to && max > 0 ? code(weight[i] / max) : code(0f);
            }
        }
        return new QuantizedWeight(shape, BLOCK_SIZE, Nf4Packing.pack(codes), DoubleQuantizedScales.quantize(absmax));
    }

    /** The float weight a {@link QuantizedWeight} stands for, row-major: level × dequantized block absmax. */
    public static float[] dequantize(QuantizedWeight q) {
        int count = Math.toIntExact(q.parameterCount());
        int[] codes = Nf4Packing.unpack(q.packedCodes(), count);
        float[] absmax = q.scales().dequantize();
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            out[i] = LEVELS[codes[i]] * absmax[i / q.blockSize()];
        }
        return out;
    }

    /**
     * For each byte value, the two levels its high and low nibble stand for: one gather over the packed
     * bytes then expands a weight on the device without bit operations (which DJL does not expose).
     */
    static float[] pairTable() {
        float[] table = new float[512];
        for (int b = 0; b < 256; b++) {
            table[2 * b] = LEVELS[b >>> 4];
            table[2 * b + 1] = LEVELS[b & 0xF];
        }
        return table;
    }

    private static float[] midpoints() {
        float[] m = new float[LEVELS.length - 1];
        for (int i = 0; i < m.length; i++) {
            m[i] = (LEVELS[i] + LEVELS[i + 1]) / 2;
        }
        return m;
    }
}
