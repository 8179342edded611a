package dev.tunewright.engine.quant;

import java.util.Arrays;

/**
 * One NF4-quantized weight on the Java heap: what {@link Nf4#quantize} produces and {@link Nf4Weight} moves
 * to the device. Row-major, like the float weight it replaces.
 *
 * @param shape the original shape, e.g. (out, in)
 * @param blockSize weights per absmax block
 * @param packedCodes NF4 codes two per byte ({@link Nf4Packing}), padded to whole blocks
 * @param scales the per-block absmax values, double-quantized
 */
public record QuantizedWeight(long[] shape, int blockSize, byte[] packedCodes, DoubleQuantizedScales scales) {

    public QuantizedWeight {
        shape = shape.clone();
        long blocks = (count(shape) + blockSize - 1) / blockSize;
        if (blockSize <= 0 || blockSize % 2 != 0 || scales.count() != blocks
                || packedCodes.length != blocks * blockSize / 2) {
            throw new IllegalArgumentException("inconsistent quantized weight of shape " + Arrays.toString(shape)
                    + ": block size " + blockSize + ", " + scales.count() + " scales, " + packedCodes.length + " bytes");
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public long parameterCount() {
        return count(shape);
    }

    public int blockCount() {
        return scales.count();
    }

    /** Bytes held: packed codes plus double-quantized scales. */
    public long bytes() {
        return packedCodes.length + scales.bytes();
    }

    static long count(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }
}
