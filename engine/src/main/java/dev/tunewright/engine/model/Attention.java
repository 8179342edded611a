package dev.tunewright.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;

/**
 * Grouped-query self-attention with rope, an optional KV cache, an optional sliding window and Gemma 2's
 * optional score soft-capping. Query heads are grouped under their key/value head by a reshape instead
 * of HF's repeat_kv copy; head h still reads kv head h / (nH / nKv), so the math is the same.
 */
public final class Attention {

    private final int layerIndex;
    private final QkvProjection qkv;
    private final AdaptableLinear output;
    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final float scale;
    private final Double softcap;
    private final Integer window;

    /**
     * @param scale multiplies q·kᵀ (1/sqrt(head_dim), Gemma 2: 1/sqrt(query_pre_attn_scalar))
     * @param softcap Gemma 2's attn_logit_softcapping, or null
     * @param window sliding window of this layer, or null for full causal attention
     */
    public Attention(int layerIndex, QkvProjection qkv, AdaptableLinear output, int heads, int kvHeads, int headDim,
                     double scale, Double softcap, Integer window) {
        this.layerIndex = layerIndex;
        this.qkv = qkv;
        this.output = output;
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.scale = (float) scale;
        this.softcap = softcap;
        this.window = window;
    }

    /** (B, T, H) to (B, T, H) in {@code x}'s manager; with a cache, this call's keys and values are appended. */
    public NDArray forward(NDArray x, AttentionContext context, KvCache cache) {
        long batch = x.getShape().get(0);
        long steps = x.getShape().get(1);
        long groups = heads / kvHeads;
        return Scopes.step(x, in -> {
            // project: q (B, T, nH·hd), k and v (B, T, nKv·hd)
            NDList projected = qkv.project(in);
            // split heads: q (B, nH, T, hd), k and v (B, nKv, T, hd)
            NDArray q = projected.get(0).reshape(batch, steps, heads, headDim).transpose(0, 2, 1, 3);
            NDArray k = projected.get(1).reshape(batch, steps, kvHeads, headDim).transpose(0, 2, 1, 3);
            NDArray v = projected.get(2).reshape(batch, steps, kvHeads, headDim).transpose(0, 2, 1, 3);
            // rotate q and k by their positions
            q = Rope.apply(q, context.cos(), context.sin());
            k = Rope.apply(k, context.cos(), context.sin());
            // keys transposed for q·kᵀ: (B, nKv, hd, T)
            NDArray keysT = k.transpose(0, 1, 3, 2);
            // with a cache, attend over everything cached so far: (B, nKv, hd, S) and (B, nKv, S, hd)
            if (cache != null) {
                NDList full = cache.append(layerIndex, keysT, v);
                keysT = full.get(0);
                v = full.get(1);
            }
            long keys = v.getShape().get(2);
            // group queries under their kv head: (B, nKv, groups·T, hd)
            NDArray grouped = q.reshape(batch, kvHeads, groups * steps, headDim);
            // scores (B, nH, T, S)
            NDArray scores = grouped.matMul(keysT).mul(Torch.scalar(grouped, scale)).reshape(batch, heads, steps, keys);
            // Gemma 2: cap · tanh(scores / cap)
            if (softcap != null) {
                NDArray cap = Torch.scalar(scores, softcap.floatValue());
                scores = scores.div(cap).tanh().mul(cap);
            }
            // mask and softmax in float32, then back to the model dtype
            DataType dtype = Torch.dtypeOf(scores);
            NDArray probabilities = Torch.cast(Torch.cast(scores, DataType.FLOAT32).add(context.mask(window))
                    .softmax(-1), dtype);
            // weighted values (B, nKv, groups·T, hd) -> (B, nH, T, hd) -> (B, T, nH·hd)
            NDArray attended = probabilities.reshape(batch, kvHeads, groups * steps, keys).matMul(v)
                    .reshape(batch, heads, steps, headDim).transpose(0, 2, 1, 3)
                    .reshape(batch, steps, (long) heads * headDim);
            // (B, T, H)
            return output.forward(attended);
        });
    }

    public List<AdaptableLinear> linears() {
        List<AdaptableLinear> out = new ArrayList<>(qkv.linears());
        out.add(output);
        return out;
    }
}
