package dev.tunewright.engine.quant;

/**
 * QLoRA's double quantization of the per-block absmax values: at one float32 per 64 weights they would
 * cost 0.5 bits per weight, so the mean is subtracted and the centred values are quantized to signed
 * 8 bits with one float32 absmax per {@value #BLOCK_SIZE} of them, leaving about 0.127 bits per weight.
 * Centring matters because the absmax values are all positive and close together; without it half
 * the 8-bit range would go unused.
 *
 * <p>Dequantized value i is {@code codes[i] * steps[i / 256] + offset} in float32, computed exactly so on
 * the device too, which keeps the Java reference and the forward pass bit-identical.
 *
 * @param codes one signed 8-bit code per scale, padded with zeros to whole blocks
 * @param steps per block of 256: its absmax of the centred values / 127
 * @param offset the mean of the scales, subtracted before quantizing
 * @param count how many scales are stored (the rest of {@code codes} is padding)
 */
public record DoubleQuantizedScales(byte[] codes, float[] steps, float offset, int count) {

    /** Scales per second-level block, as in QLoRA. */
    public static final int BLOCK_SIZE = 256;

    public DoubleQuantizedScales {
        int blocks = (count + BLOCK_SIZE - 1) / BLOCK_SIZE;
        if (count < 0 || steps.length != blocks || codes.length != blocks * BLOCK_SIZE) {
            throw new IllegalArgumentException("inconsistent double-quantized scales: " + count + " scales, "
                    + steps.length + " steps, " + codes.length + " codes");
        }
    }

    public static DoubleQuantizedScales quantize(float[] scales) {
        double sum = 0;
        for (float s : scales) {
            sum += s;
        }
        float offset = scales.length == 0 ? 0f : (float) (sum / scales.length);
        int blocks = (scales.length + BLOCK_SIZE - 1) / BLOCK_SIZE;
        byte[] codes = new byte[blocks * BLOCK_SIZE];
        float[] steps = new float[blocks];
        for (int b = 0; b < blocks; b++) {
            int from = b * BLOCK_SIZE;
            int to = Math.min(from + BLOCK_SIZE, scales.length);
            float max = 0;
            for (int i = from; i < to; i++) {
                max = Math.max(max, Math.abs(scales[i] - offset));
            }
            steps[b] = max / 127f;
            for (int i = from; i < to; i++) {
                codes[i] = max == 0 ? 0 : (byte) Math.max(-127, Math.min(127, Math.round((scales[i] - offset) / steps[b])));
            }
        }
        return new DoubleQuantizedScales(codes, steps, offset, scales.length);
    }

    /** The {@link #count()} scales back in float32. */
    public float[] dequantize() {
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            out[i] = codes[i] * steps[i / BLOCK_SIZE] + offset;
        }
        return out;
    }

    /** Bytes held: the codes, the per-block steps and the offset. */
    public long bytes() {
        return codes.length + 4L * steps.length + 4;
    }
}
