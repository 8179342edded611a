package dev.tunewright.engine.model.llama;

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
 * {@code LlamaForCausalLM}: the reference layout every other family is described against. Optional
 * biases follow attention_bias (q/k/v/o) and mlp_bias; llama3 rope scaling is handled by the shared rope.
 */
public final class LlamaModel {

    private LlamaModel() {}

    public static CausalLm build(ModelConfig c, Weights w) {
        List<DecoderLayer> layers = new ArrayList<>();
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            String p = Decoders.layerPrefix(i);
            layers.add(new PreNormDecoderLayer(
                    Decoders.rmsNorm(c, w, p + "input_layernorm"),
                    Decoders.attention(c, w, i, Decoders.separateQkv(c, w, i, c.attentionBias()), c.attentionBias()),
                    Decoders.rmsNorm(c, w, p + "post_attention_layernorm"),
                    Decoders.separateMlp(c, w, i, c.mlpBias())));
        }
        NDArray embed = Decoders.embedTokens(c, w);
        return new CausalLm(c, embed, null, layers, Decoders.rmsNorm(c, w, "model.norm"), Decoders.lmHead(c, w, embed));
    }
}
