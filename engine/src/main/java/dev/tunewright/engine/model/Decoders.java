package dev.tunewright.engine.model;

import ai.djl.ndarray.NDArray;

/**
 * The pieces the family builders share, each loaded under its HF key. A family builder reads as a
 * list of what it takes from here and what it does differently.
 */
public final class Decoders {

    private Decoders() {}

    /** {@code model.layers.<i>.} */
    public static String layerPrefix(int layer) {
        return "model.layers." + layer + ".";
    }

    /** {@code model.embed_tokens.weight} (V, H). */
    public static NDArray embedTokens(ModelConfig c, Weights w) {
        return w.get("model.embed_tokens.weight", c.vocabSize(), c.hiddenSize());
    }

    /** {@code lm_head}, or the embedding matrix itself when tie_word_embeddings is set. */
    public static Linear lmHead(ModelConfig c, Weights w, NDArray embedTokens) {
        if (c.tieWordEmbeddings()) {
            return new Linear("lm_head", embedTokens, null);
        }
        if (!w.contains("lm_head.weight")) {
            throw new UnsupportedModelException("config.json key 'tie_word_embeddings' is false but weight "
                    + "'lm_head.weight' is missing from the model folder");
        }
        return w.linear("lm_head", c.vocabSize(), c.hiddenSize(), false);
    }

    /** Llama-style norm weight · x/rms(x) under {@code module}.weight. */
    public static RmsNorm rmsNorm(ModelConfig c, Weights w, String module) {
        return RmsNorm.scaled(w.get(module + ".weight", c.hiddenSize()), c.rmsNormEps());
    }

    /** {@code self_attn.q_proj/k_proj/v_proj}, with biases when {@code bias}. */
    public static QkvProjection separateQkv(ModelConfig c, Weights w, int layer, boolean bias) {
        String p = layerPrefix(layer) + "self_attn.";
        long q = (long) c.numAttentionHeads() * c.headDim();
        long kv = (long) c.numKeyValueHeads() * c.headDim();
        return new QkvProjection.Separate(
                w.linear(p + "q_proj", q, c.hiddenSize(), bias),
                w.linear(p + "k_proj", kv, c.hiddenSize(), bias),
                w.linear(p + "v_proj", kv, c.hiddenSize(), bias));
    }

    /** Attention of layer {@code layer} over {@code qkv}, with {@code self_attn.o_proj}. */
    public static Attention attention(ModelConfig c, Weights w, int layer, QkvProjection qkv, boolean outputBias) {
        Linear output = w.linear(layerPrefix(layer) + "self_attn.o_proj", c.hiddenSize(),
                (long) c.numAttentionHeads() * c.headDim(), outputBias);
        return new Attention(layer, qkv, output, c.numAttentionHeads(), c.numKeyValueHeads(), c.headDim(),
                c.attentionScale(), c.attnLogitSoftcapping(), c.slidingWindowFor(layer));
    }

    /** {@code mlp.gate_proj/up_proj/down_proj} with the config's activation. */
    public static Mlp separateMlp(ModelConfig c, Weights w, int layer, boolean bias) {
        String p = layerPrefix(layer) + "mlp.";
        return new Mlp(new GateUpProjection.Separate(
                w.linear(p + "gate_proj", c.intermediateSize(), c.hiddenSize(), bias),
                w.linear(p + "up_proj", c.intermediateSize(), c.hiddenSize(), bias)),
                w.linear(p + "down_proj", c.hiddenSize(), c.intermediateSize(), bias),
                c.hiddenActivation());
    }
}
