package dev.tunewright.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * The network of a decoder-only language model: embeddings, decoder layers, final norm, LM head, as forward-pass
 * stages. {@link LanguageModel} owns it together with the memory of its weights; code that drives a forward stage
 * by stage (the trainer's chunked loss and activation checkpointing, generation with a KV cache) works on this
 * class. The family builders ({@code llama/}, {@code qwen2/}, {@code phi3/}, {@code gemma2/}) assemble it from
 * HF-named weights; it holds nothing family-specific except the optional embedding scale and final soft-cap.
 */
public final class DecoderNetwork {

    private final ModelConfig config;
    private final NDArray embedTokens; // (V, H)
    private final Float embeddingScale; // Gemma 2: sqrt(hidden) rounded to the model dtype; else null
    private final List<DecoderLayer> layers;
    private final RmsNorm norm;
    private final AdaptableLinear lmHead;
    private final Rope rope;

    public DecoderNetwork(ModelConfig config, NDArray embedTokens, Float embeddingScale, List<DecoderLayer> layers,
                    RmsNorm norm, AdaptableLinear lmHead) {
        this.config = config;
        this.embedTokens = embedTokens;
        this.embeddingScale = embeddingScale;
        this.layers = List.copyOf(layers);
        this.norm = norm;
        this.lmHead = lmHead;
        this.rope = Rope.of(config);
    }

    public ModelConfig config() {
        return config;
    }

    public DataType dtype() {
        return Torch.dtypeOf(embedTokens);
    }

    public int layerCount() {
        return layers.size();
    }

    /**
     * Logits for every position (or only the last), float32, allocated in {@code manager}; everything
     * else this call creates is closed before it returns.
     *
     * @param inputIds (B, T) token ids, rows of equal length (pad them)
     * @param attentionMask (B, past + T) 1 for real tokens, 0 for padding; null when nothing is padded
     * @param cache keys/values of earlier calls, extended by this one; null to compute without a cache
     * @param lastPositionOnly compute the LM head for position T - 1 only (generation)
     * @return (B, T, V), or (B, 1, V) with {@code lastPositionOnly}
     */
    public NDArray forward(NDManager manager, int[][] inputIds, long[][] attentionMask, KvCache cache,
                           boolean lastPositionOnly) {
        int batch = inputIds.length;
        int steps = inputIds[0].length;
        int past = cache == null ? 0 : cache.length();
        validate(inputIds, attentionMask, past);
        return Scopes.call(manager, embedTokens.getDevice(), call -> {
            // rope tables and masks shared by all layers
            AttentionContext context = AttentionContext.create(call, rope, attentionMask, batch, past, steps, dtype());
            NDArray hidden = run(call, inputIds, context, cache, layer -> { });
            // generation needs the last position only: (B, 1, H)
            return head(lastPositionOnly ? hidden.get(":, -1:, :") : hidden);
        });
    }

    /**
     * Logits (B, T, V) in float32 for a packed or padded training batch, in {@code manager}: explicit rope
     * positions and attention within a segment only (see {@link AttentionContext#packed}). Inside a gradient
     * collector the logits carry the autograd graph back to any adapter parameters.
     *
     * @param positionIds (B, T) positions restarting at 0 for each packed example
     * @param segmentIds (B, T) example number within the row from 1, 0 for padding
     */
    public NDArray forward(NDManager manager, int[][] inputIds, long[][] positionIds, int[][] segmentIds) {
        return forward(manager, inputIds, positionIds, segmentIds, layer -> { });
    }

    /**
     * As {@link #forward(NDManager, int[][], long[][], int[][])}, calling {@code beforeLayer} with each layer's
     * index just before it runs: the trainer reseeds dropout there, so that a layer draws the same masks whether
     * the whole model runs at once or a layer is recomputed on its own (activation checkpointing).
     */
    public NDArray forward(NDManager manager, int[][] inputIds, long[][] positionIds, int[][] segmentIds,
                           IntConsumer beforeLayer) {
        return Scopes.call(manager, embedTokens.getDevice(), call -> {
            AttentionContext context = packedContext(call, inputIds, positionIds, segmentIds);
            return head(run(call, inputIds, context, null, beforeLayer));
        });
    }

    /**
     * The last decoder layer's output (B, T, H), before the final norm, for a packed or padded training batch:
     * the trainer applies {@link #head} to the trained positions only, a chunk at a time, instead of building
     * (B, T, V) logits. Inside a gradient collector it carries the graph back to the adapters.
     */
    public NDArray hidden(NDManager manager, int[][] inputIds, long[][] positionIds, int[][] segmentIds,
                          IntConsumer beforeLayer) {
        return Scopes.call(manager, embedTokens.getDevice(),
                call -> run(call, inputIds, packedContext(call, inputIds, positionIds, segmentIds), null, beforeLayer));
    }

    /**
     * The attention context of a packed or padded training batch (see {@link AttentionContext#packed}), in
     * {@code call}; shared by every layer of one forward, and by the stage-by-stage calls below.
     */
    public AttentionContext packedContext(NDManager call, int[][] inputIds, long[][] positionIds, int[][] segmentIds) {
        validate(inputIds, null, 0);
        for (int b = 0; b < inputIds.length; b++) {
            if (positionIds.length != inputIds.length || positionIds[b].length != inputIds[b].length
                    || segmentIds.length != inputIds.length || segmentIds[b].length != inputIds[b].length) {
                throw new IllegalArgumentException("position and segment ids must have the shape of the input ids");
            }
        }
        return AttentionContext.packed(call, rope, positionIds, segmentIds, dtype());
    }

    /** Token embeddings (B, T, H) in {@code call}, scaled where the family scales them; stage one of a forward. */
    public NDArray embed(NDManager call, int[][] inputIds) {
        NDArray ids = TokenIds.index(call, inputIds);
        NDArray hidden = Embedding.embedding(ids, embedTokens, SparseFormat.DENSE).head();
        // Gemma 2 multiplies by sqrt(hidden) in the model dtype
        if (embeddingScale != null) {
            hidden = hidden.mul(Torch.cast(call.create(embeddingScale), dtype()));
        }
        return hidden;
    }

    /** The decoder layers in order; stage two of a forward, one layer at a time. */
    public List<DecoderLayer> layers() {
        return layers;
    }

    /**
     * Final norm and LM head: (..., H) to float32 logits (..., V) in {@code hidden}'s manager; the last stage.
     * Every position is independent here, so it applies as well to a (N, H) selection of positions.
     */
    public NDArray head(NDArray hidden) {
        NDArray logits = Torch.cast(lmHead.forward(norm.forward(hidden)), DataType.FLOAT32);
        // Gemma 2: cap · tanh(logits / cap)
        if (config.finalLogitSoftcapping() != null) {
            NDArray cap = Torch.scalar(logits, config.finalLogitSoftcapping().floatValue());
            logits = logits.div(cap).tanh().mul(cap);
        }
        return logits;
    }

    /** Embeddings and decoder layers: the last hidden state (B, T, H) in {@code call}. */
    private NDArray run(NDManager call, int[][] inputIds, AttentionContext context, KvCache cache,
                        IntConsumer beforeLayer) {
        // token embeddings (B, T, H)
        NDArray hidden = embed(call, inputIds);
        // decoder layers, (B, T, H) each; the previous hidden state is freed as soon as it is consumed
        for (int i = 0; i < layers.size(); i++) {
            beforeLayer.accept(i);
            NDArray next = layers.get(i).forward(hidden, context, cache);
            hidden.close();
            hidden = next;
        }
        return hidden;
    }

    /** Every linear by its HF module name, in model order: what LoRA's target_modules select from. */
    public List<AdaptableLinear> linears() {
        List<AdaptableLinear> out = new ArrayList<>();
        layers.forEach(l -> out.addAll(l.linears()));
        out.add(lmHead);
        return out;
    }

    private void validate(int[][] inputIds, long[][] attentionMask, int past) {
        if (inputIds.length == 0 || inputIds[0].length == 0) {
            throw new IllegalArgumentException("input ids are empty");
        }
        int steps = inputIds[0].length;
        for (int b = 0; b < inputIds.length; b++) {
            if (inputIds[b].length != steps) {
                throw new IllegalArgumentException("input row " + b + " has " + inputIds[b].length
                        + " tokens, row 0 has " + steps + "; pad rows to one length");
            }
            for (int id : inputIds[b]) {
                if (id < 0 || id >= config.vocabSize()) {
                    throw new IllegalArgumentException("token id " + id + " is outside the vocabulary [0, "
                            + config.vocabSize() + ")");
                }
            }
            if (attentionMask != null && attentionMask[b].length != past + steps) {
                throw new IllegalArgumentException("attention mask row " + b + " has " + attentionMask[b].length
                        + " entries, expected cached + new = " + (past + steps));
            }
        }
        if (attentionMask != null && attentionMask.length != inputIds.length) {
            throw new IllegalArgumentException("attention mask has " + attentionMask.length + " rows for "
                    + inputIds.length + " input rows");
        }
    }
}
