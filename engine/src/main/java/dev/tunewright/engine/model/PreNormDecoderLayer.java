package dev.tunewright.engine.model;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * The Llama / Qwen2 / Phi-3 block: h + attn(norm(h)), then h + mlp(norm(h)). The norms are HF's
 * {@code input_layernorm} and {@code post_attention_layernorm} (which, despite the name, feeds the MLP).
 */
public final class PreNormDecoderLayer implements DecoderLayer {

    private final RmsNorm inputNorm;
    private final Attention attention;
    private final RmsNorm postAttentionNorm;
    private final Mlp mlp;

    public PreNormDecoderLayer(RmsNorm inputNorm, Attention attention, RmsNorm postAttentionNorm, Mlp mlp) {
        this.inputNorm = inputNorm;
        this.attention = attention;
        this.postAttentionNorm = postAttentionNorm;
        this.mlp = mlp;
    }

    @Override
    public NDArray forward(NDArray hidden, AttentionContext context, KvCache cache) {
        return Scopes.step(hidden, h -> {
            // attention sub-block with residual: (B, T, H)
            NDArray afterAttention = h.add(attention.forward(inputNorm.forward(h), context, cache));
            // MLP sub-block with residual: (B, T, H)
            return afterAttention.add(mlp.forward(postAttentionNorm.forward(afterAttention)));
        });
    }

    @Override
    public List<AdaptableLinear> linears() {
        List<AdaptableLinear> out = new ArrayList<>(attention.linears());
        out.addAll(mlp.linears());
        return out;
    }
}
