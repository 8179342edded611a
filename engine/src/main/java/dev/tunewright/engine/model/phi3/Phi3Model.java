package dev.tunewright.engine.model.phi3;

import ai.djl.ndarray.NDArray;
import dev.tunewright.engine.model.CausalLm;
import dev.tunewright.engine.model.Decoders;
import dev.tunewright.engine.model.DecoderLayer;
import dev.tunewright.engine.model.Mlp;
import dev.tunewright.engine.model.ModelConfig;
import dev.tunewright.engine.model.PreNormDecoderLayer;
import dev.tunewright.engine.model.Weights;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code Phi3ForCausalLM}: Llama's layout with fused {@code qkv_proj} and {@code gate_up_proj}; LongRoPE
 * and its attention factor live in the shared rope, the optional all-layer sliding window in the config.
 */
public final class Phi3Model {

    private Phi3Model() {}

    public static CausalLm build(ModelConfig c, Weights w) {
        long q = (long) c.numAttentionHeads() * c.headDim();
        long kv = (long) c.numKeyValueHeads() * c.headDim();
        List<DecoderLayer> layers = new ArrayList<>();
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            String p = Decoders.layerPrefix(i);
            FusedQkv qkv = new FusedQkv(w.linear(p + "self_attn.qkv_proj", q + 2 * kv, c.hiddenSize(), false), q, kv);
            Mlp mlp = new Mlp(
                    new FusedGateUp(w.linear(p + "mlp.gate_up_proj", 2L * c.intermediateSize(), c.hiddenSize(), false)),
                    w.linear(p + "mlp.down_proj", c.hiddenSize(), c.intermediateSize(), false),
                    c.hiddenActivation());
            layers.add(new PreNormDecoderLayer(
                    Decoders.rmsNorm(c, w, p + "input_layernorm"),
                    Decoders.attention(c, w, i, qkv, false),
                    Decoders.rmsNorm(c, w, p + "post_attention_layernorm"),
                    mlp));
        }
        NDArray embed = Decoders.embedTokens(c, w);
        return new CausalLm(c, embed, null, layers, Decoders.rmsNorm(c, w, "model.norm"), Decoders.lmHead(c, w, embed));
    }
}
