package dev.tunewright.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code rope_scaling} variants of {@code config.json} that this engine computes exactly like
 * Hugging Face. Anything else is refused rather than approximated, because a wrong rope silently
 * degrades every long prompt.
 */
public sealed interface RopeScaling {

    /** Llama 3.1+: low frequencies divided by {@code factor}, high ones kept, a smooth ramp between. */
    record Llama3(double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositionEmbeddings)
            implements RopeScaling {}

    /**
     * Phi-3 LongRoPE: per-frequency divisors, {@code shortFactor} while the positions fit the pretrained
     * context and {@code longFactor} beyond it, plus a cos/sin magnitude {@code attentionFactor}.
     */
    record LongRope(List<Double> shortFactor, List<Double> longFactor, double attentionFactor,
                    int originalMaxPositionEmbeddings) implements RopeScaling {
        public LongRope {
            shortFactor = List.copyOf(shortFactor);
            longFactor = List.copyOf(longFactor);
        }
    }

    /**
     * Maps the {@code rope_scaling} object (null or absent means plain rope). Phi-3 keeps
     * {@code original_max_position_embeddings} at the top level of config.json, hence the fallbacks, and
     * its early configs call LongRoPE "su" or "yarn", which HF's Phi3Config renames ({@code phi3}).
     */
    static RopeScaling parse(JsonNode node, int maxPositionEmbeddings, Integer topLevelOriginalMax, int headDim,
                             boolean phi3) {
        if (node == null || node.isNull()) {
            return null;
        }
        JsonNode typeNode = node.has("rope_type") ? node.get("rope_type") : node.get("type");
        String type = typeNode == null ? null : typeNode.asText();
        if (type == null) {
            throw new UnsupportedModelException("config.json key 'rope_scaling.rope_type' is missing");
        }
        if (phi3 && (type.equals("su") || type.equals("yarn"))) {
            type = "longrope";
        }
        return switch (type) {
            case "default" -> null;
            case "llama3" -> new Llama3(
                    required(node, "factor").asDouble(),
                    required(node, "low_freq_factor").asDouble(),
                    required(node, "high_freq_factor").asDouble(),
                    required(node, "original_max_position_embeddings").asInt());
            case "longrope" -> longRope(node, maxPositionEmbeddings, topLevelOriginalMax, headDim);
            default -> throw new UnsupportedModelException("config.json key 'rope_scaling.rope_type': '" + type
                    + "' is not supported (supported: default, llama3, longrope)");
        };
    }

    private static LongRope longRope(JsonNode node, int maxPositionEmbeddings, Integer topLevelOriginalMax, int headDim) {
        List<Double> shortFactor = doubles(required(node, "short_factor"), "short_factor", headDim / 2);
        List<Double> longFactor = doubles(required(node, "long_factor"), "long_factor", headDim / 2);
        int originalMax;
        double factor;
        if (topLevelOriginalMax != null) {
            // HF: the ratio of the two context lengths, not rope_scaling.factor, sets the default scaling
            originalMax = topLevelOriginalMax;
            factor = (double) maxPositionEmbeddings / originalMax;
        } else {
            originalMax = maxPositionEmbeddings;
            factor = node.has("factor") ? node.get("factor").asDouble() : 1.0;
        }
        double attentionFactor;
        if (node.hasNonNull("attention_factor")) {
            attentionFactor = node.get("attention_factor").asDouble();
        } else if (factor <= 1.0) {
            attentionFactor = 1.0;
        } else {
            attentionFactor = Math.sqrt(1 + Math.log(factor) / Math.log(originalMax));
        }
        return new LongRope(shortFactor, longFactor, attentionFactor, originalMax);
    }

    private static JsonNode required(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            throw new UnsupportedModelException("config.json key 'rope_scaling." + key + "' is missing");
        }
        return v;
    }

    private static List<Double> doubles(JsonNode array, String key, int expected) {
        if (!array.isArray() || array.size() != expected) {
            throw new UnsupportedModelException("config.json key 'rope_scaling." + key + "' must be a list of "
                    + expected + " numbers (head_dim / 2)");
        }
        List<Double> out = new ArrayList<>(expected);
        array.forEach(v -> out.add(v.asDouble()));
        return out;
    }
}
