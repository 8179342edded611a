package dev.tunewright.engine.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import dev.tunewright.engine.model.PackedWeight;
import dev.tunewright.engine.model.Torch;
import java.nio.ByteBuffer;

/**
 * A {@link QuantizedWeight} resident on the model's device: the packed codes (uint8) and the 8-bit scale
 * codes are native arrays in the model's manager, freed with the model; the few float32 second-level
 * steps stay on the heap. {@link #unpack} rebuilds the float weight for one call.
 */
public final class Nf4Weight implements PackedWeight {

    private static final float[] PAIRS = Nf4.pairTable();

    private final long[] shape;
    private final long count;
    private final int blockSize;
    private final int blocks;
    private final NDArray codes;      // (blocks · blockSize / 2) uint8
    private final NDArray scaleCodes; // (scale blocks · 256) int8
    private final float[] steps;
    private final float offset;

    private Nf4Weight(QuantizedWeight q, NDArray codes, NDArray scaleCodes) {
        this.shape = q.shape();
        this.count = q.parameterCount();
        this.blockSize = q.blockSize();
        this.blocks = q.blockCount();
        this.codes = codes;
        this.scaleCodes = scaleCodes;
        this.steps = q.scales().steps().clone();
        this.offset = q.scales().offset();
    }

    /**
     * Copies {@code q} into native arrays owned by {@code manager} (the model's, so they live as long as it),
     * in memory torch owns rather than Java buffers (see {@link Torch#owned}).
     */
    public static Nf4Weight of(NDManager manager, QuantizedWeight q) {
        NDArray codes = Torch.owned(manager.create(ByteBuffer.wrap(q.packedCodes()),
                new Shape(q.packedCodes().length), DataType.UINT8));
        try {
            byte[] sc = q.scales().codes();
            NDArray scaleCodes = Torch.owned(manager.create(ByteBuffer.wrap(sc), new Shape(sc.length), DataType.INT8));
            return new Nf4Weight(q, codes, scaleCodes);
        } catch (RuntimeException e) {
            codes.close();
            throw e;
        }
    }

    @Override
    public NDArray unpack(NDManager manager, DataType dtype) {
        // nothing here requires a gradient, so autograd saves none of these operands, only the result
        try (NDManager scope = manager.newSubManager()) {
            // ops on the resident arrays allocate in their (the model's) manager: move results to scope at once
            NDArray index = codes.toType(DataType.INT64, true);
            index.attach(scope);
            NDArray scaleValues = scaleCodes.toType(DataType.FLOAT32, true);
            scaleValues.attach(scope);
            // block absmax: code · step of its 256-block + offset, (blocks, 1)
            int scaleBlocks = steps.length;
            NDArray absmax = scaleValues.reshape(scaleBlocks, DoubleQuantizedScales.BLOCK_SIZE)
                    .mul(scope.create(steps, new Shape(scaleBlocks, 1)))
                    .add(offset)
                    .reshape(-1)
                    .get("0:" + blocks)
                    .reshape(blocks, 1);
            // every byte to its two levels in one gather, (blocks, blockSize)
            NDArray table = scope.create(PAIRS, new Shape(256, 2));
            NDArray levels = Embedding.embedding(index, table, SparseFormat.DENSE).head().reshape(blocks, blockSize);
            NDArray flat = levels.mul(absmax).reshape(-1);
            if (flat.size() != count) {
                flat = flat.get("0:" + count);
            }
            NDArray weight = dtype == DataType.BFLOAT16
                    ? Torch.cast(flat.reshape(new Shape(shape)), dtype)
                    : flat.reshape(new Shape(shape)).toType(dtype, true);
            weight.attach(manager);
            return weight;
        }
    }

    @Override
    public long residentBytes() {
        return codes.size() * codes.getDataType().getNumOfBytes()
                + scaleCodes.size() * scaleCodes.getDataType().getNumOfBytes()
                + 4L * steps.length + 4;
    }

    public long parameterCount() {
        return count;
    }

    /** The native arrays held, for checks that they carry no gradient and are freed with the model. */
    NDArray[] arrays() {
        return new NDArray[] {codes, scaleCodes};
    }
}
