package dev.tunewright.engine.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/** One transformer block; families differ in how norms wrap the attention and MLP sub-blocks. */
public interface DecoderLayer {

    /** (B, T, H) to (B, T, H), returned in {@code hidden}'s manager; nothing else outlives the call. */
    NDArray forward(NDArray hidden, AttentionContext context, KvCache cache);

    /** Every linear of the block, for adapters and parameter counts. */
    List<AdaptableLinear> linears();
}
