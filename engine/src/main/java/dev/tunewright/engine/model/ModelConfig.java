package dev.tunewright.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Everything the forward pass needs from {@code config.json}, with readable names. Absent keys take the
 * defaults of the family's Hugging Face configuration class, so a minimal config means what it means
 * to transformers. Options this engine does not compute are refused here, naming the key.
 *
 * @param slidingWindow window of the sliding-window layers (query index - key index < window), or null
 * @param slidingLayers which layers use {@code slidingWindow}; the others attend to everything
 * @param queryPreAttnScalar Gemma 2 scales scores by 1/sqrt(this) instead of 1/sqrt(head_dim); null elsewhere
 * @param attnLogitSoftcapping Gemma 2 caps scores with cap·tanh(s/cap); null when off
 * @param finalLogitSoftcapping the same for the output logits; null when off
 * @param eosTokenIds config.json's eos_token_id, which may be one id or a list
 */
public record ModelConfig(
        Family family,
        List<String> architectures,
        int hiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int numKeyValueHeads,
        int headDim,
        double rmsNormEps,
        double ropeTheta,
        RopeScaling ropeScaling,
        int maxPositionEmbeddings,
        int vocabSize,
        boolean tieWordEmbeddings,
        boolean attentionBias,
        boolean mlpBias,
        Activation hiddenActivation,
        Double queryPreAttnScalar,
        Double attnLogitSoftcapping,
        Double finalLogitSoftcapping,
        Integer slidingWindow,
        List<Boolean> slidingLayers,
        Integer bosTokenId,
        List<Integer> eosTokenIds,
        Integer padTokenId,
        String torchDtype) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public ModelConfig {
        architectures = List.copyOf(architectures);
        slidingLayers = List.copyOf(slidingLayers);
        eosTokenIds = List.copyOf(eosTokenIds);
        if (numAttentionHeads % numKeyValueHeads != 0) {
            throw new UnsupportedModelException("config.json key 'num_key_value_heads': " + numKeyValueHeads
                    + " does not divide num_attention_heads " + numAttentionHeads);
        }
    }

    public static ModelConfig read(Path configJson) throws IOException {
        return fromJson(JSON.readTree(configJson.toFile()));
    }

    public static ModelConfig fromJson(JsonNode c) {
        JsonNode archNode = c.get("architectures");
        if (archNode == null || !archNode.isArray() || archNode.isEmpty()) {
            throw new UnsupportedModelException("config.json key 'architectures' is missing (supported: "
                    + Family.supported() + ")");
        }
        List<String> architectures = new ArrayList<>();
        archNode.forEach(a -> architectures.add(a.asText()));
        Family family = Family.forArchitecture(architectures.get(0));

        int hidden = requiredInt(c, "hidden_size");
        int heads = requiredInt(c, "num_attention_heads");
        int layers = requiredInt(c, "num_hidden_layers");
        int kvHeads = intOr(c, "num_key_value_heads", heads);
        int headDim = intOr(c, "head_dim", family == Family.GEMMA2 ? 256 : hidden / heads);
        int maxPositions = intOr(c, "max_position_embeddings", switch (family) {
            case LLAMA -> 2048;
            case QWEN2 -> 32768;
            case PHI3 -> 4096;
            case GEMMA2 -> 8192;
        });
        refuseUnsupported(c, family);

        Integer originalMax = family == Family.PHI3 && c.hasNonNull("original_max_position_embeddings")
                ? c.get("original_max_position_embeddings").asInt() : null;
        RopeScaling rope = RopeScaling.parse(c.get("rope_scaling"), maxPositions, originalMax, headDim,
                family == Family.PHI3);

        boolean gemma = family == Family.GEMMA2;
        String activationKey = c.hasNonNull("hidden_activation") ? "hidden_activation" : "hidden_act";
        Activation activation = c.hasNonNull(activationKey)
                ? Activation.parse(activationKey, c.get(activationKey).asText())
                : gemma ? Activation.GELU_TANH : Activation.SILU;

        Integer window = slidingWindow(c, family);
        List<Boolean> slidingLayers = slidingLayers(c, family, layers, window);

        return new ModelConfig(
                family,
                architectures,
                hidden,
                requiredInt(c, "intermediate_size"),
                layers,
                heads,
                kvHeads,
                headDim,
                c.hasNonNull("rms_norm_eps") ? c.get("rms_norm_eps").asDouble() : family == Family.PHI3 ? 1e-5 : 1e-6,
                c.hasNonNull("rope_theta") ? c.get("rope_theta").asDouble() : 10000.0,
                rope,
                maxPositions,
                requiredInt(c, "vocab_size"),
                c.hasNonNull("tie_word_embeddings") ? c.get("tie_word_embeddings").asBoolean() : gemma,
                c.hasNonNull("attention_bias") && c.get("attention_bias").asBoolean(),
                c.hasNonNull("mlp_bias") && c.get("mlp_bias").asBoolean(),
                activation,
                gemma ? doubleOr(c, "query_pre_attn_scalar", 256.0) : null,
                gemma ? doubleOr(c, "attn_logit_softcapping", 50.0) : null,
                gemma ? doubleOr(c, "final_logit_softcapping", 30.0) : null,
                window,
                slidingLayers,
                c.hasNonNull("bos_token_id") ? c.get("bos_token_id").asInt() : null,
                ids(c.get("eos_token_id")),
                c.hasNonNull("pad_token_id") ? c.get("pad_token_id").asInt() : null,
                c.hasNonNull("torch_dtype") ? c.get("torch_dtype").asText()
                        : c.hasNonNull("dtype") ? c.get("dtype").asText() : null);
    }

    /** Grouped-query attention: how many query heads share one key/value head. */
    public int queriesPerKeyValueHead() {
        return numAttentionHeads / numKeyValueHeads;
    }

    /** The sliding window of layer {@code layer}, or null when that layer attends to the whole prefix. */
    public Integer slidingWindowFor(int layer) {
        return slidingLayers.get(layer) ? slidingWindow : null;
    }

    /** The factor applied to q·k: 1/sqrt(head_dim), except Gemma 2's 1/sqrt(query_pre_attn_scalar). */
    public double attentionScale() {
        return 1.0 / Math.sqrt(queryPreAttnScalar != null ? queryPreAttnScalar : headDim);
    }

    private static void refuseUnsupported(JsonNode c, Family family) {
        if (family == Family.QWEN2 && c.hasNonNull("use_sliding_window") && c.get("use_sliding_window").asBoolean()) {
            throw new UnsupportedModelException("config.json key 'use_sliding_window': true is not supported for "
                    + family.architecture());
        }
        if (c.hasNonNull("partial_rotary_factor") && c.get("partial_rotary_factor").asDouble() != 1.0) {
            throw new UnsupportedModelException("config.json key 'partial_rotary_factor': "
                    + c.get("partial_rotary_factor").asText() + " is not supported (only 1.0)");
        }
        if (family != Family.GEMMA2) {
            for (String key : Set.of("attn_logit_softcapping", "final_logit_softcapping")) {
                if (c.hasNonNull(key)) {
                    throw new UnsupportedModelException("config.json key '" + key + "' is not supported for "
                            + family.architecture());
                }
            }
        }
    }

    /** Gemma 2 slides on alternate layers; Phi-3 applies its (usually huge) window to every layer. */
    private static Integer slidingWindow(JsonNode c, Family family) {
        return switch (family) {
            case GEMMA2 -> c.has("sliding_window") && c.get("sliding_window").isNull()
                    ? null : intOr(c, "sliding_window", 4096);
            case PHI3 -> c.hasNonNull("sliding_window") ? c.get("sliding_window").asInt() : null;
            case LLAMA, QWEN2 -> null;
        };
    }

    private static List<Boolean> slidingLayers(JsonNode c, Family family, int layers, Integer window) {
        List<Boolean> out = new ArrayList<>(layers);
        JsonNode types = c.get("layer_types");
        if (window != null && types != null && types.isArray()) {
            if (types.size() != layers) {
                throw new UnsupportedModelException("config.json key 'layer_types' has " + types.size()
                        + " entries for " + layers + " layers");
            }
            types.forEach(t -> out.add(switch (t.asText()) {
                case "sliding_attention" -> true;
                case "full_attention" -> false;
                default -> throw new UnsupportedModelException("config.json key 'layer_types': '" + t.asText()
                        + "' is not supported (supported: sliding_attention, full_attention)");
            }));
            return out;
        }
        for (int i = 0; i < layers; i++) {
            // Gemma 2: layers 0, 2, 4... slide (HF: not bool(layer_idx % 2))
            out.add(window != null && (family != Family.GEMMA2 || i % 2 == 0));
        }
        return out;
    }

    private static List<Integer> ids(JsonNode node) {
        List<Integer> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asInt()));
        } else {
            out.add(node.asInt());
        }
        return out;
    }

    private static int requiredInt(JsonNode c, String key) {
        JsonNode v = c.get(key);
        if (v == null || v.isNull() || !v.canConvertToInt()) {
            throw new UnsupportedModelException("config.json key '" + key + "' is missing or not an integer");
        }
        return v.asInt();
    }

    private static int intOr(JsonNode c, String key, int fallback) {
        return c.hasNonNull(key) ? c.get(key).asInt() : fallback;
    }

    /** Absent means the family default; an explicit null turns the option off. */
    private static Double doubleOr(JsonNode c, String key, double fallback) {
        if (!c.has(key)) {
            return fallback;
        }
        return c.get(key).isNull() ? null : c.get(key).asDouble();
    }
}
