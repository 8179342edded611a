package dev.tunewright.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.List;

/**
 * Produces queries, keys and values from the hidden states. Separate {@code q_proj/k_proj/v_proj} and
 * Phi-3's fused {@code qkv_proj} are two implementations, so attention itself is one class.
 */
public interface QkvProjection {

    /** (B, T, H) to q (B, T, nH·headDim), k and v (B, T, nKv·headDim), in {@code x}'s manager. */
    NDList project(NDArray x);

    /** The linears, for adapters and parameter counts. */
    List<AdaptableLinear> linears();

    /** Llama, Qwen2, Gemma 2: three projections named q_proj, k_proj, v_proj. */
    record Separate(AdaptableLinear q, AdaptableLinear k, AdaptableLinear v) implements QkvProjection {
        @Override
        public NDList project(NDArray x) {
            return new NDList(q.forward(x), k.forward(x), v.forward(x));
        }

        @Override
        public List<AdaptableLinear> linears() {
            return List.of(q, k, v);
        }
    }
}
