package dev.tunewright.engine.model.qwen2;

import dev.tunewright.engine.model.DecoderNetwork;
import dev.tunewright.engine.model.Decoders;
import dev.tunewright.engine.model.ModelConfig;
import dev.tunewright.engine.model.WeightLayout;
import dev.tunewright.engine.model.Weights;

/** {@code Qwen2ForCausalLM}: Llama's block; only its layout differs. */
public final class Qwen2Model {

    private Qwen2Model() {}

    /** Llama's tensors, except that q/k/v always carry a bias (o_proj and the MLP never do), whatever attention_bias says. */
    public static WeightLayout layout(ModelConfig c) {
        return WeightLayout.decoder(c, (layer, t) -> t
                .norms("input_layernorm", "post_attention_layernorm")
                .separateProjections(true, false, false));
    }

    public static DecoderNetwork build(ModelConfig c, Weights w) {
        return Decoders.preNormModel(c, w, i -> Decoders.separateQkv(w, i), i -> Decoders.separateGateUp(w, i));
    }
}
