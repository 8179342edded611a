package dev.tunewright.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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
        NDManager parent = hidden.getManager();
        try (NDManager step = parent.newSubManager()) {
            hidden.tempAttach(step);
            // attention sub-block with residual: (B, T, H)
            NDArray afterAttention = hidden.add(attention.forward(inputNorm.forward(hidden), context, cache));
            // MLP sub-block with residual: (B, T, H)
            NDArray out = afterAttention.add(mlp.forward(postAttentionNorm.forward(afterAttention)));
            out.attach(parent);
            return out;
        }
    }

    @Override
    public List<Linear> linears() {
        List<Linear> out = new ArrayList<>(attention.linears());
        out.addAll(mlp.linears());
        return out;
    }
}
