package dev.tunewright.engine.model.qwen2;

import ai.djl.ndarray.NDArray;
import dev.tunewright.engine.model.CausalLm;
import dev.tunewright.engine.model.Decoders;
import dev.tunewright.engine.model.DecoderLayer;
import dev.tunewright.engine.model.ModelConfig;
import dev.tunewright.engine.model.PreNormDecoderLayer;
import dev.tunewright.engine.model.Weights;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code Qwen2ForCausalLM}: Llama's layout except that q/k/v always carry a bias (o_proj and the MLP never
 * do), whatever attention_bias says.
 */
public final class Qwen2Model {

    private Qwen2Model() {}

    public static CausalLm build(ModelConfig c, Weights w) {
        List<DecoderLayer> layers = new ArrayList<>();
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            String p = Decoders.layerPrefix(i);
            layers.add(new PreNormDecoderLayer(
                    Decoders.rmsNorm(c, w, p + "input_layernorm"),
                    Decoders.attention(c, w, i, Decoders.separateQkv(c, w, i, true), false),
                    Decoders.rmsNorm(c, w, p + "post_attention_layernorm"),
                    Decoders.separateMlp(c, w, i, false)));
        }
        NDArray embed = Decoders.embedTokens(c, w);
        return new CausalLm(c, embed, null, layers, Decoders.rmsNorm(c, w, "model.norm"), Decoders.lmHead(c, w, embed));
    }
}
