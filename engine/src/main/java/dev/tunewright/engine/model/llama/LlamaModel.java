package dev.tunewright.engine.model.llama;

import dev.tunewright.engine.model.DecoderNetwork;
import dev.tunewright.engine.model.Decoders;
import dev.tunewright.engine.model.ModelConfig;
import dev.tunewright.engine.model.WeightLayout;
import dev.tunewright.engine.model.Weights;

/**
 * {@code LlamaForCausalLM}: the reference layout every other family is described against. Optional
 * biases follow attention_bias (q/k/v/o) and mlp_bias; llama3 rope scaling is handled by the shared rope.
 */
public final class LlamaModel {

    private LlamaModel() {}

    /** Two norms per layer, separate projections, biases where attention_bias and mlp_bias ask for them. */
    public static WeightLayout layout(ModelConfig c) {
        return WeightLayout.decoder(c, (layer, t) -> t
                .norms("input_layernorm", "post_attention_layernorm")
                .separateProjections(c.attentionBias(), c.attentionBias(), c.mlpBias()));
    }

    public static DecoderNetwork build(ModelConfig c, Weights w) {
        return Decoders.preNormModel(c, w, i -> Decoders.separateQkv(w, i), i -> Decoders.separateGateUp(w, i));
    }
}
