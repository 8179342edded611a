package dev.tunewright.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * An {@link AdaptableLinear}'s frozen base weight held in a compact form (QLoRA's NF4, see the {@code quant}
 * package) and expanded for each call only, so that what stays resident between calls is the compact
 * copy rather than the float matrix.
 */
public interface PackedWeight {

    /**
     * The full (out, in) weight in {@code dtype}, created in {@code manager}; the caller closes it as soon as
     * the matmul is done. It carries no gradient: the base stays frozen.
     */
    NDArray unpack(NDManager manager, DataType dtype);

    /** Bytes this weight keeps resident (native and heap) between calls. */
    long residentBytes();
}
