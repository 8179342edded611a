package dev.tunewright.engine.model.phi3;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.tunewright.engine.model.AdaptableLinear;
import dev.tunewright.engine.model.QkvProjection;
import java.util.List;

/**
 * Phi-3's {@code self_attn.qkv_proj}: one matmul whose output rows are q, then k, then v. Kept as one
 * {@link AdaptableLinear} so a LoRA on "qkv_proj" targets the same module as PEFT does.
 */
public record FusedQkv(AdaptableLinear qkv, long querySize, long keyValueSize) implements QkvProjection {

    @Override
    public NDList project(NDArray x) {
        // (B, T, q + 2·kv) split at q and q + kv
        NDArray fused = qkv.forward(x);
        return fused.split(new long[] {querySize, querySize + keyValueSize}, fused.getShape().dimension() - 1);
    }

    @Override
    public List<AdaptableLinear> linears() {
        return List.of(qkv);
    }
}
