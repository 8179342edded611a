package dev.tunewright.engine.model.gemma2;

import dev.tunewright.engine.model.DecoderNetwork;
import dev.tunewright.engine.model.Decoders;
import dev.tunewright.engine.model.ModelConfig;
import dev.tunewright.engine.model.RmsNorm;
import dev.tunewright.engine.model.WeightLayout;
import dev.tunewright.engine.model.Weights;

/**
 * {@code Gemma2ForCausalLM}: sandwich norms with (1 + weight), embeddings scaled by sqrt(hidden), GELU-tanh
 * MLP; soft-capping, query_pre_attn_scalar and the alternating sliding window come from the config into
 * the shared attention and model.
 */
public final class Gemma2Model {

    private Gemma2Model() {}

    /** Four norms per layer (the sandwich), separate projections, q/k/v/o biases with attention_bias. */
    public static WeightLayout layout(ModelConfig c) {
        return WeightLayout.decoder(c, (layer, t) -> t
                .norms("input_layernorm", "post_attention_layernorm", "pre_feedforward_layernorm",
                        "post_feedforward_layernorm")
                .separateProjections(c.attentionBias(), c.attentionBias(), false));
    }

    public static DecoderNetwork build(ModelConfig c, Weights w) {
        float scale = (float) Math.sqrt(c.hiddenSize());
        return Decoders.network(c, w, i -> {
            String p = WeightLayout.layerPrefix(i);
            return new Gemma2DecoderLayer(
                    norm(c, w, p + "input_layernorm"),
                    Decoders.attention(c, w, i, Decoders.separateQkv(w, i)),
                    norm(c, w, p + "post_attention_layernorm"),
                    norm(c, w, p + "pre_feedforward_layernorm"),
                    Decoders.mlp(c, w, i, Decoders.separateGateUp(w, i)),
                    norm(c, w, p + "post_feedforward_layernorm"));
        }, module -> norm(c, w, module), scale);
    }

    /** Gemma norms scale by (1 + weight) in float32. */
    private static RmsNorm norm(ModelConfig c, Weights w, String module) {
        return RmsNorm.gemma(w.getPlusOne(module + ".weight"), c.rmsNormEps());
    }
}
