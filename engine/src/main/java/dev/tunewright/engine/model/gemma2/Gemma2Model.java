package dev.tunewright.engine.model.gemma2;

import ai.djl.ndarray.NDArray;
import dev.tunewright.engine.model.CausalLm;
import dev.tunewright.engine.model.Decoders;
import dev.tunewright.engine.model.DecoderLayer;
import dev.tunewright.engine.model.ModelConfig;
import dev.tunewright.engine.model.RmsNorm;
import dev.tunewright.engine.model.Weights;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code Gemma2ForCausalLM}: sandwich norms with (1 + weight), embeddings scaled by sqrt(hidden), GELU-tanh
 * MLP; soft-capping, query_pre_attn_scalar and the alternating sliding window come from the config into
 * the shared attention and model.
 */
public final class Gemma2Model {

    private Gemma2Model() {}

    public static CausalLm build(ModelConfig c, Weights w) {
        List<DecoderLayer> layers = new ArrayList<>();
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            String p = Decoders.layerPrefix(i);
            layers.add(new Gemma2DecoderLayer(
                    norm(c, w, p + "input_layernorm"),
                    Decoders.attention(c, w, i, Decoders.separateQkv(c, w, i, c.attentionBias()), c.attentionBias()),
                    norm(c, w, p + "post_attention_layernorm"),
                    norm(c, w, p + "pre_feedforward_layernorm"),
                    Decoders.separateMlp(c, w, i, false),
                    norm(c, w, p + "post_feedforward_layernorm")));
        }
        NDArray embed = Decoders.embedTokens(c, w);
        float scale = (float) Math.sqrt(c.hiddenSize());
        return new CausalLm(c, embed, scale, layers, norm(c, w, "model.norm"), Decoders.lmHead(c, w, embed));
    }

    /** Gemma norms scale by (1 + weight) in float32. */
    private static RmsNorm norm(ModelConfig c, Weights w, String module) {
        return RmsNorm.gemma(w.getPlusOne(module + ".weight", c.hiddenSize()), c.rmsNormEps());
    }
}
