package dev.tunewright.engine.model;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The pieces the family builders share, each loaded under its HF key with the shape and biases the family's
 * {@link WeightLayout} declares. A family builder reads as a list of what it takes from here and what it does
 * differently.
 */
public final class Decoders {

    private Decoders() {}

    /**
     * The whole model: {@code model.embed_tokens} (V, H), {@code layer} for each decoder layer, the final norm
     * {@code model.norm} by {@code norm}, and {@code lm_head} (or the embedding itself when tied).
     *
     * @param embeddingScale what the embeddings are multiplied by (Gemma 2), or null
     */
    public static DecoderNetwork network(ModelConfig c, Weights w, IntFunction<DecoderLayer> layer,
                                    Function<String, RmsNorm> norm, Float embeddingScale) {
        List<DecoderLayer> layers = new ArrayList<>();
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            layers.add(layer.apply(i));
        }
        NDArray embed = w.get("model.embed_tokens.weight");
        return new DecoderNetwork(c, embed, embeddingScale, layers, norm.apply("model.norm"), lmHead(c, w, embed));
    }

    /**
     * Llama's block (pre-norm attention and MLP, two norms) with the family's q/k/v and gate/up projections; Llama,
     * Qwen2 and Phi-3 differ only there and in their layouts.
     */
    public static DecoderNetwork preNormModel(ModelConfig c, Weights w, IntFunction<QkvProjection> qkv,
                                        IntFunction<GateUpProjection> gateUp) {
        return network(c, w, i -> {
            String p = WeightLayout.layerPrefix(i);
            return new PreNormDecoderLayer(
                    rmsNorm(c, w, p + "input_layernorm"),
                    attention(c, w, i, qkv.apply(i)),
                    rmsNorm(c, w, p + "post_attention_layernorm"),
                    mlp(c, w, i, gateUp.apply(i)));
        }, module -> rmsNorm(c, w, module), null);
    }

    /** {@code lm_head}, or the embedding matrix itself when tie_word_embeddings is set. */
    static AdaptableLinear lmHead(ModelConfig c, Weights w, NDArray embedTokens) {
        if (c.tieWordEmbeddings()) {
            return new AdaptableLinear("lm_head", embedTokens, null);
        }
        if (!w.contains("lm_head.weight")) {
            throw new UnsupportedModelException("config.json key 'tie_word_embeddings' is false but weight "
                    + "'lm_head.weight' is missing from the model folder");
        }
        return w.linear("lm_head");
    }

    /** Llama-style norm weight · x/rms(x) under {@code module}.weight. */
    public static RmsNorm rmsNorm(ModelConfig c, Weights w, String module) {
        return RmsNorm.scaled(w.get(module + ".weight"), c.rmsNormEps());
    }

    /** {@code self_attn.q_proj/k_proj/v_proj}. */
    public static QkvProjection separateQkv(Weights w, int layer) {
        String p = WeightLayout.layerPrefix(layer) + "self_attn.";
        return new QkvProjection.Separate(w.linear(p + "q_proj"), w.linear(p + "k_proj"), w.linear(p + "v_proj"));
    }

    /** {@code mlp.gate_proj/up_proj}. */
    public static GateUpProjection separateGateUp(Weights w, int layer) {
        String p = WeightLayout.layerPrefix(layer) + "mlp.";
        return new GateUpProjection.Separate(w.linear(p + "gate_proj"), w.linear(p + "up_proj"));
    }

    /** Attention of layer {@code layer} over {@code qkv}, with {@code self_attn.o_proj}. */
    public static Attention attention(ModelConfig c, Weights w, int layer, QkvProjection qkv) {
        AdaptableLinear output = w.linear(WeightLayout.layerPrefix(layer) + "self_attn.o_proj");
        return new Attention(layer, qkv, output, c.numAttentionHeads(), c.numKeyValueHeads(), c.headDim(),
                c.attentionScale(), c.attnLogitSoftcapping(), c.slidingWindowFor(layer));
    }

    /** The MLP over {@code gateUp}, with {@code mlp.down_proj} and the config's activation. */
    public static Mlp mlp(ModelConfig c, Weights w, int layer, GateUpProjection gateUp) {
        return new Mlp(gateUp, w.linear(WeightLayout.layerPrefix(layer) + "mlp.down_proj"), c.hiddenActivation());
    }
}
