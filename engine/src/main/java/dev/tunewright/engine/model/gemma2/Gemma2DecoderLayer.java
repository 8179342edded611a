package dev.tunewright.engine.model.gemma2;

import ai.djl.ndarray.NDArray;
import dev.tunewright.engine.model.Attention;
import dev.tunewright.engine.model.AttentionContext;
import dev.tunewright.engine.model.DecoderLayer;
import dev.tunewright.engine.model.KvCache;
import dev.tunewright.engine.model.AdaptableLinear;
import dev.tunewright.engine.model.Mlp;
import dev.tunewright.engine.model.RmsNorm;
import dev.tunewright.engine.model.Scopes;
import java.util.ArrayList;
import java.util.List;

/**
 * Gemma 2's "sandwich" block: each sub-block's output is normed again before the residual add, so the
 * layer has four norms where Llama has two.
 */
public final class Gemma2DecoderLayer implements DecoderLayer {

    private final RmsNorm inputNorm;
    private final Attention attention;
    private final RmsNorm postAttentionNorm;
    private final RmsNorm preFeedforwardNorm;
    private final Mlp mlp;
    private final RmsNorm postFeedforwardNorm;

    public Gemma2DecoderLayer(RmsNorm inputNorm, Attention attention, RmsNorm postAttentionNorm,
                              RmsNorm preFeedforwardNorm, Mlp mlp, RmsNorm postFeedforwardNorm) {
        this.inputNorm = inputNorm;
        this.attention = attention;
        this.postAttentionNorm = postAttentionNorm;
        this.preFeedforwardNorm = preFeedforwardNorm;
        this.mlp = mlp;
        this.postFeedforwardNorm = postFeedforwardNorm;
    }

    @Override
    public NDArray forward(NDArray hidden, AttentionContext context, KvCache cache) {
        return Scopes.step(hidden, h -> {
            // h + post_attention_layernorm(attn(input_layernorm(h))): (B, T, H)
            NDArray attended = attention.forward(inputNorm.forward(h), context, cache);
            NDArray afterAttention = h.add(postAttentionNorm.forward(attended));
            // h + post_feedforward_layernorm(mlp(pre_feedforward_layernorm(h))): (B, T, H)
            NDArray fed = mlp.forward(preFeedforwardNorm.forward(afterAttention));
            return afterAttention.add(postFeedforwardNorm.forward(fed));
        });
    }

    @Override
    public List<AdaptableLinear> linears() {
        List<AdaptableLinear> out = new ArrayList<>(attention.linears());
        out.addAll(mlp.linears());
        return out;
    }
}
