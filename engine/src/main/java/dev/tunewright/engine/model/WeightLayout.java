package dev.tunewright.engine.model;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Every tensor a family's checkpoint holds, by Hugging Face name, with the shape the config implies, in checkpoint
 * order. Each family declares its layout once (next to its builder, see {@link Models#layout}); the builder can load
 * only what the layout declares and must load all of it ({@link Weights}), and the random test checkpoints, the
 * registry's adapter checks and the memory accounting read the same list, so they cannot drift from the model.
 */
public final class WeightLayout {

    private static final String LAYER_PREFIX = "model.layers.";

    private final Map<String, long[]> shapes;

    private WeightLayout(Map<String, long[]> shapes) {
        this.shapes = Collections.unmodifiableMap(shapes);
    }

    /**
     * A decoder-only layout: {@code model.embed_tokens}, what {@code layer} declares for each decoder layer, the final
     * {@code model.norm} and, unless the embeddings are tied, {@code lm_head}.
     */
    public static WeightLayout decoder(ModelConfig c, BiConsumer<Integer, LayerTensors> layer) {
        Map<String, long[]> out = new LinkedHashMap<>();
        out.put("model.embed_tokens.weight", new long[] {c.vocabSize(), c.hiddenSize()});
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            layer.accept(i, new LayerTensors(c, layerPrefix(i), out));
        }
        out.put("model.norm.weight", new long[] {c.hiddenSize()});
        if (!c.tieWordEmbeddings()) {
            out.put("lm_head.weight", new long[] {c.vocabSize(), c.hiddenSize()});
        }
        return new WeightLayout(out);
    }

    /** {@code model.layers.<i>.} */
    public static String layerPrefix(int layer) {
        return LAYER_PREFIX + layer + ".";
    }

    public boolean contains(String name) {
        return shapes.containsKey(name);
    }

    /**
     * The declared shape of {@code name}.
     *
     * @throws IllegalStateException when the layout does not declare it: a builder asking for it is wrong
     */
    public long[] shape(String name) {
        long[] shape = shapes.get(name);
        if (shape == null) {
            throw new IllegalStateException("tensor '" + name + "' is not in the family's weight layout");
        }
        return shape.clone();
    }

    public Set<String> names() {
        return shapes.keySet();
    }

    /** Every tensor with its shape, in checkpoint order. */
    public Map<String, long[]> shapes() {
        Map<String, long[]> out = new LinkedHashMap<>();
        shapes.forEach((name, shape) -> out.put(name, shape.clone()));
        return out;
    }

    /** The decoder-layer linears, module name (without {@code .weight}) to {out, in}: what LoRA can target. */
    public Map<String, long[]> layerLinears() {
        Map<String, long[]> out = new LinkedHashMap<>();
        shapes.forEach((name, shape) -> {
            if (name.startsWith(LAYER_PREFIX) && name.endsWith(".weight") && shape.length == 2) {
                out.put(name.substring(0, name.length() - ".weight".length()), shape.clone());
            }
        });
        return out;
    }

    /** Parameters of all tensors together. */
    public long parameterCount() {
        return shapes.values().stream().mapToLong(s -> Arrays.stream(s).reduce(1, (a, b) -> a * b)).sum();
    }

    /** The tensors of one decoder layer, declared in checkpoint order. */
    public static final class LayerTensors {

        private final String prefix;
        private final Map<String, long[]> out;
        private final long hidden;
        private final long query;
        private final long keyValue;
        private final long intermediate;

        private LayerTensors(ModelConfig c, String prefix, Map<String, long[]> out) {
            this.prefix = prefix;
            this.out = out;
            this.hidden = c.hiddenSize();
            this.query = (long) c.numAttentionHeads() * c.headDim();
            this.keyValue = (long) c.numKeyValueHeads() * c.headDim();
            this.intermediate = c.intermediateSize();
        }

        /** {@code <module>.weight} (H) for each norm module. */
        public LayerTensors norms(String... modules) {
            for (String m : modules) {
                put(m + ".weight", hidden);
            }
            return this;
        }

        /**
         * Llama's projections: {@code self_attn.q_proj/k_proj/v_proj/o_proj} and {@code mlp.gate_proj/up_proj/down_proj},
         * with biases on q/k/v, on o and on the MLP where the family has them.
         */
        public LayerTensors separateProjections(boolean qkvBias, boolean outputBias, boolean mlpBias) {
            put("self_attn.q_proj.weight", query, hidden);
            put("self_attn.k_proj.weight", keyValue, hidden);
            put("self_attn.v_proj.weight", keyValue, hidden);
            if (qkvBias) {
                put("self_attn.q_proj.bias", query);
                put("self_attn.k_proj.bias", keyValue);
                put("self_attn.v_proj.bias", keyValue);
            }
            put("mlp.gate_proj.weight", intermediate, hidden);
            put("mlp.up_proj.weight", intermediate, hidden);
            if (mlpBias) {
                put("mlp.gate_proj.bias", intermediate);
                put("mlp.up_proj.bias", intermediate);
            }
            return outputs(outputBias, mlpBias);
        }

        /** Phi-3's fused {@code self_attn.qkv_proj} (q, then k, then v) and {@code mlp.gate_up_proj}, no biases. */
        public LayerTensors fusedProjections() {
            put("self_attn.qkv_proj.weight", query + 2 * keyValue, hidden);
            put("mlp.gate_up_proj.weight", 2 * intermediate, hidden);
            return outputs(false, false);
        }

        private LayerTensors outputs(boolean outputBias, boolean mlpBias) {
            put("self_attn.o_proj.weight", hidden, query);
            if (outputBias) {
                put("self_attn.o_proj.bias", hidden);
            }
            put("mlp.down_proj.weight", hidden, intermediate);
            if (mlpBias) {
                put("mlp.down_proj.bias", hidden);
            }
            return this;
        }

        private void put(String name, long... shape) {
            out.put(prefix + name, shape);
        }
    }
}
