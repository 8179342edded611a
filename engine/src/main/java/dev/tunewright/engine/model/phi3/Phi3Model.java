package dev.tunewright.engine.model.phi3;

import dev.tunewright.engine.model.DecoderNetwork;
import dev.tunewright.engine.model.Decoders;
import dev.tunewright.engine.model.ModelConfig;
import dev.tunewright.engine.model.WeightLayout;
import dev.tunewright.engine.model.Weights;

/**
 * {@code Phi3ForCausalLM}: Llama's block with fused {@code qkv_proj} and {@code gate_up_proj}; LongRoPE
 * and its attention factor live in the shared rope, the optional all-layer sliding window in the config.
 */
public final class Phi3Model {

    private Phi3Model() {}

    /** Two norms per layer, fused q/k/v and gate/up projections, no biases (attention_bias is not read). */
    public static WeightLayout layout(ModelConfig c) {
        return WeightLayout.decoder(c, (layer, t) -> t
                .norms("input_layernorm", "post_attention_layernorm")
                .fusedProjections());
    }

    public static DecoderNetwork build(ModelConfig c, Weights w) {
        long q = (long) c.numAttentionHeads() * c.headDim();
        long kv = (long) c.numKeyValueHeads() * c.headDim();
        return Decoders.preNormModel(c, w,
                i -> new FusedQkv(w.linear(WeightLayout.layerPrefix(i) + "self_attn.qkv_proj"), q, kv),
                i -> new FusedGateUp(w.linear(WeightLayout.layerPrefix(i) + "mlp.gate_up_proj")));
    }
}
