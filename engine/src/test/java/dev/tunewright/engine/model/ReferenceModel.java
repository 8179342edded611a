package dev.tunewright.engine.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunewright.engine.safetensors.SafetensorsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A deliberately simple forward pass in double precision with plain loops, written from the HF modeling
 * code and sharing nothing with the engine but the safetensors reader: one unpadded sequence at a time,
 * positions 0..T-1, every hyper-parameter read straight from config.json (the tiny test configs spell
 * every key out). It exists only to be obviously right.
 */
final class ReferenceModel {

    private final JsonNode c;
    private final String arch;
    private final Map<String, double[]> w = new HashMap<>();
    private final int hidden;
    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final int layers;
    private final int vocab;
    private final double eps;

    ReferenceModel(Path dir) throws IOException {
        c = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
        arch = c.get("architectures").get(0).asText();
        hidden = c.get("hidden_size").asInt();
        heads = c.get("num_attention_heads").asInt();
        kvHeads = c.get("num_key_value_heads").asInt();
        headDim = c.get("head_dim").asInt();
        layers = c.get("num_hidden_layers").asInt();
        vocab = c.get("vocab_size").asInt();
        eps = c.get("rms_norm_eps").asDouble();
        try (var files = Files.list(dir)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".safetensors")).toList()) {
                try (SafetensorsFile f = SafetensorsFile.open(file)) {
                    for (String name : f.tensors().keySet()) {
                        float[] values = f.readFloats(name);
                        double[] d = new double[values.length];
                        for (int i = 0; i < d.length; i++) {
                            d[i] = values[i];
                        }
                        w.put(name, d);
                    }
                }
            }
        }
    }

    private boolean gemma() {
        return arch.equals("Gemma2ForCausalLM");
    }

    /** ln p(token i | tokens before i); entry 0 is NaN. */
    double[] logProbs(int[] tokens) {
        double[][] logits = logits(tokens);
        double[] out = new double[tokens.length];
        out[0] = Double.NaN;
        for (int i = 1; i < tokens.length; i++) {
            double[] row = logits[i - 1];
            double max = Double.NEGATIVE_INFINITY;
            for (double v : row) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (double v : row) {
                sum += Math.exp(v - max);
            }
            out[i] = row[tokens[i]] - max - Math.log(sum);
        }
        return out;
    }

    double[][] logits(int[] tokens) {
        int t = tokens.length;
        double[][] x = new double[t][];
        double[] embed = w.get("model.embed_tokens.weight");
        for (int i = 0; i < t; i++) {
            x[i] = new double[hidden];
            System.arraycopy(embed, tokens[i] * hidden, x[i], 0, hidden);
            if (gemma()) {
                scale(x[i], (float) Math.sqrt(hidden));
            }
        }
        double[] invFreq = inverseFrequencies(t);
        for (int l = 0; l < layers; l++) {
            String p = "model.layers." + l + ".";
            double[][] attn = attention(norm(x, p + "input_layernorm.weight"), l, invFreq);
            if (gemma()) {
                attn = norm(attn, p + "post_attention_layernorm.weight");
            }
            add(x, attn);
            double[][] mlpIn = norm(x, p + (gemma() ? "pre_feedforward_layernorm.weight" : "post_attention_layernorm.weight"));
            double[][] mlp = mlp(mlpIn, p);
            if (gemma()) {
                mlp = norm(mlp, p + "post_feedforward_layernorm.weight");
            }
            add(x, mlp);
        }
        double[][] h = norm(x, "model.norm.weight");
        double[] head = w.containsKey("lm_head.weight") ? w.get("lm_head.weight") : w.get("model.embed_tokens.weight");
        double[][] logits = new double[t][];
        for (int i = 0; i < t; i++) {
            logits[i] = matVec(head, vocab, hidden, h[i]);
            if (c.hasNonNull("final_logit_softcapping")) {
                double cap = c.get("final_logit_softcapping").asDouble();
                for (int v = 0; v < vocab; v++) {
                    logits[i][v] = cap * Math.tanh(logits[i][v] / cap);
                }
            }
        }
        return logits;
    }

    private double[][] attention(double[][] x, int layer, double[] invFreq) {
        String p = "model.layers." + layer + ".self_attn.";
        int t = x.length;
        int qSize = heads * headDim;
        int kvSize = kvHeads * headDim;
        double[][] q = new double[t][];
        double[][] k = new double[t][];
        double[][] v = new double[t][];
        for (int i = 0; i < t; i++) {
            if (w.containsKey(p + "qkv_proj.weight")) {
                double[] all = matVec(w.get(p + "qkv_proj.weight"), qSize + 2 * kvSize, hidden, x[i]);
                q[i] = slice(all, 0, qSize);
                k[i] = slice(all, qSize, kvSize);
                v[i] = slice(all, qSize + kvSize, kvSize);
            } else {
                q[i] = linear(p + "q_proj", qSize, x[i]);
                k[i] = linear(p + "k_proj", kvSize, x[i]);
                v[i] = linear(p + "v_proj", kvSize, x[i]);
            }
            rotate(q[i], heads, i, invFreq);
            rotate(k[i], kvHeads, i, invFreq);
        }
        double scale = 1.0 / Math.sqrt(gemma() ? c.get("query_pre_attn_scalar").asDouble() : headDim);
        Integer window = slidingWindow(layer);
        double[][] out = new double[t][qSize];
        for (int h = 0; h < heads; h++) {
            int g = h / (heads / kvHeads);
            for (int i = 0; i < t; i++) {
                double[] scores = new double[i + 1];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j <= i; j++) {
                    double s = 0;
                    for (int d = 0; d < headDim; d++) {
                        s += q[i][h * headDim + d] * k[j][g * headDim + d];
                    }
                    s *= scale;
                    if (c.hasNonNull("attn_logit_softcapping")) {
                        double cap = c.get("attn_logit_softcapping").asDouble();
                        s = cap * Math.tanh(s / cap);
                    }
                    if (window != null && i - j >= window) {
                        s = Double.NEGATIVE_INFINITY;
                    }
                    scores[j] = s;
                    max = Math.max(max, s);
                }
                double sum = 0;
                for (int j = 0; j <= i; j++) {
                    scores[j] = Math.exp(scores[j] - max);
                    sum += scores[j];
                }
                for (int j = 0; j <= i; j++) {
                    for (int d = 0; d < headDim; d++) {
                        out[i][h * headDim + d] += scores[j] / sum * v[j][g * headDim + d];
                    }
                }
            }
        }
        double[][] projected = new double[t][];
        for (int i = 0; i < t; i++) {
            projected[i] = linear(p + "o_proj", hidden, out[i]);
        }
        return projected;
    }

    private Integer slidingWindow(int layer) {
        if (!c.hasNonNull("sliding_window") || arch.equals("Qwen2ForCausalLM") || arch.equals("LlamaForCausalLM")) {
            return null;
        }
        if (gemma() && layer % 2 == 1) {
            return null;
        }
        return c.get("sliding_window").asInt();
    }

    private double[][] mlp(double[][] x, String p) {
        int inter = c.get("intermediate_size").asInt();
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            double[] gate;
            double[] up;
            if (w.containsKey(p + "mlp.gate_up_proj.weight")) {
                double[] both = matVec(w.get(p + "mlp.gate_up_proj.weight"), 2 * inter, hidden, x[i]);
                gate = slice(both, 0, inter);
                up = slice(both, inter, inter);
            } else {
                gate = linear(p + "mlp.gate_proj", inter, x[i]);
                up = linear(p + "mlp.up_proj", inter, x[i]);
            }
            for (int j = 0; j < inter; j++) {
                double g = gate[j];
                double act = gemma()
                        ? 0.5 * g * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (g + 0.044715 * g * g * g)))
                        : g / (1 + Math.exp(-g));
                up[j] *= act;
            }
            out[i] = linear(p + "mlp.down_proj", hidden, up);
        }
        return out;
    }

    /** Per-dimension inverse frequencies for this sequence length (LongRoPE switches on it). */
    private double[] inverseFrequencies(int seqLen) {
        double theta = c.get("rope_theta").asDouble();
        double[] inv = new double[headDim / 2];
        JsonNode rs = c.get("rope_scaling");
        String type = rs == null || rs.isNull() ? "default" : rs.has("rope_type") ? rs.get("rope_type").asText() : rs.get("type").asText();
        for (int i = 0; i < inv.length; i++) {
            double base = Math.pow(theta, 2.0 * i / headDim);
            switch (type) {
                case "default" -> inv[i] = 1 / base;
                case "llama3" -> {
                    double f = 1 / base;
                    double factor = rs.get("factor").asDouble();
                    double low = rs.get("low_freq_factor").asDouble();
                    double high = rs.get("high_freq_factor").asDouble();
                    double old = rs.get("original_max_position_embeddings").asDouble();
                    double wavelen = 2 * Math.PI / f;
                    if (wavelen < old / high) {
                        inv[i] = f;
                    } else if (wavelen > old / low) {
                        inv[i] = f / factor;
                    } else {
                        double smooth = (old / wavelen - low) / (high - low);
                        inv[i] = (1 - smooth) * f / factor + smooth * f;
                    }
                }
                case "longrope" -> {
                    boolean isLong = seqLen > c.get("original_max_position_embeddings").asInt();
                    inv[i] = 1 / (rs.get(isLong ? "long_factor" : "short_factor").get(i).asDouble() * base);
                }
                default -> throw new IllegalStateException(type);
            }
        }
        return inv;
    }

    private double ropeMagnitude() {
        JsonNode rs = c.get("rope_scaling");
        if (rs == null || rs.isNull() || !"longrope".equals(rs.path("type").asText(rs.path("rope_type").asText()))) {
            return 1;
        }
        double original = c.get("original_max_position_embeddings").asDouble();
        double factor = c.get("max_position_embeddings").asDouble() / original;
        return Math.sqrt(1 + Math.log(factor) / Math.log(original));
    }

    /** rotate_half convention: dimension d pairs with d + headDim/2. */
    private void rotate(double[] x, int nHeads, int position, double[] invFreq) {
        double magnitude = ropeMagnitude();
        int half = headDim / 2;
        for (int h = 0; h < nHeads; h++) {
            int o = h * headDim;
            for (int d = 0; d < half; d++) {
                double angle = position * invFreq[d];
                double cos = Math.cos(angle) * magnitude;
                double sin = Math.sin(angle) * magnitude;
                double a = x[o + d];
                double b = x[o + d + half];
                x[o + d] = a * cos - b * sin;
                x[o + d + half] = b * cos + a * sin;
            }
        }
    }

    private double[][] norm(double[][] x, String weight) {
        double[] g = w.get(weight);
        double[][] out = new double[x.length][hidden];
        for (int i = 0; i < x.length; i++) {
            double ms = 0;
            for (double v : x[i]) {
                ms += v * v;
            }
            double r = 1 / Math.sqrt(ms / hidden + eps);
            for (int d = 0; d < hidden; d++) {
                out[i][d] = x[i][d] * r * (gemma() ? 1 + g[d] : g[d]);
            }
        }
        return out;
    }

    private double[] linear(String module, int out, double[] x) {
        double[] y = matVec(w.get(module + ".weight"), out, x.length, x);
        double[] bias = w.get(module + ".bias");
        if (bias != null) {
            for (int o = 0; o < out; o++) {
                y[o] += bias[o];
            }
        }
        return y;
    }

    private static double[] matVec(double[] m, int rows, int cols, double[] x) {
        double[] y = new double[rows];
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int k = 0; k < cols; k++) {
                s += m[r * cols + k] * x[k];
            }
            y[r] = s;
        }
        return y;
    }

    private static double[] slice(double[] a, int from, int length) {
        double[] out = new double[length];
        System.arraycopy(a, from, out, 0, length);
        return out;
    }

    private static void add(double[][] x, double[][] y) {
        for (int i = 0; i < x.length; i++) {
            for (int d = 0; d < x[i].length; d++) {
                x[i][d] += y[i][d];
            }
        }
    }

    private static void scale(double[] x, double s) {
        for (int d = 0; d < x.length; d++) {
            x[d] *= s;
        }
    }
}
