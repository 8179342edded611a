package dev.tunewright.engine.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tunewright.engine.folder.ModelFolder;
import dev.tunewright.engine.safetensors.DType;
import dev.tunewright.engine.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Writes a random-weight model folder of any supported family in the real on-disk format (config.json and
 * BF16 safetensors under HF names, optionally sharded with an index). Real weights can never be downloaded
 * in CI, so tests, CLI checks and benchmarks all run on these; the tensor list is derived from the config
 * exactly as the family builders expect it.
 */
public final class RandomCheckpoint {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RandomCheckpoint() {}

    /**
     * @param sharded put the decoder layers in a second shard listed by model.safetensors.index.json
     */
    public static Path write(Path dir, ObjectNode config, long seed, boolean sharded) throws IOException {
        Files.createDirectories(dir);
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), config);
        ModelConfig c = ModelConfig.fromJson(config);
        Random random = new Random(seed);
        SafetensorsWriter first = new SafetensorsWriter().metadata("format", "pt");
        SafetensorsWriter second = sharded ? new SafetensorsWriter().metadata("format", "pt") : first;
        Map<String, String> map = new LinkedHashMap<>();
        long totalSize = 0;
        for (Map.Entry<String, long[]> t : tensorShapes(c).entrySet()) {
            boolean layer = t.getKey().startsWith("model.layers.");
            (layer ? second : first).add(t.getKey(), DType.BF16, t.getValue(), values(c, t.getKey(), t.getValue(), random));
            map.put(t.getKey(), layer ? "model-00002-of-00002.safetensors" : "model-00001-of-00002.safetensors");
            totalSize += Arrays.stream(t.getValue()).reduce(1, (x, y) -> x * y) * DType.BF16.byteSize();
        }
        if (sharded) {
            first.write(dir.resolve("model-00001-of-00002.safetensors"));
            second.write(dir.resolve("model-00002-of-00002.safetensors"));
            ModelFolder.writeShardIndex(dir, map, totalSize);
        } else {
            first.write(dir.resolve("model.safetensors"));
        }
        return dir;
    }

    /** Every tensor the family builder loads, by HF name, with its shape. */
    public static Map<String, long[]> tensorShapes(ModelConfig c) {
        Map<String, long[]> out = new LinkedHashMap<>();
        long h = c.hiddenSize();
        long q = (long) c.numAttentionHeads() * c.headDim();
        long kv = (long) c.numKeyValueHeads() * c.headDim();
        long inter = c.intermediateSize();
        boolean gemma = c.family() == Family.GEMMA2;
        boolean qkvBias = c.family() == Family.QWEN2 || (c.attentionBias() && c.family() != Family.PHI3);
        boolean outputBias = c.attentionBias() && (c.family() == Family.LLAMA || gemma);
        boolean mlpBias = c.mlpBias() && c.family() == Family.LLAMA;
        out.put("model.embed_tokens.weight", new long[] {c.vocabSize(), h});
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            String p = Decoders.layerPrefix(i);
            out.put(p + "input_layernorm.weight", new long[] {h});
            out.put(p + "post_attention_layernorm.weight", new long[] {h});
            if (gemma) {
                out.put(p + "pre_feedforward_layernorm.weight", new long[] {h});
                out.put(p + "post_feedforward_layernorm.weight", new long[] {h});
            }
            if (c.family() == Family.PHI3) {
                out.put(p + "self_attn.qkv_proj.weight", new long[] {q + 2 * kv, h});
                out.put(p + "mlp.gate_up_proj.weight", new long[] {2 * inter, h});
            } else {
                out.put(p + "self_attn.q_proj.weight", new long[] {q, h});
                out.put(p + "self_attn.k_proj.weight", new long[] {kv, h});
                out.put(p + "self_attn.v_proj.weight", new long[] {kv, h});
                if (qkvBias) {
                    out.put(p + "self_attn.q_proj.bias", new long[] {q});
                    out.put(p + "self_attn.k_proj.bias", new long[] {kv});
                    out.put(p + "self_attn.v_proj.bias", new long[] {kv});
                }
                out.put(p + "mlp.gate_proj.weight", new long[] {inter, h});
                out.put(p + "mlp.up_proj.weight", new long[] {inter, h});
                if (mlpBias) {
                    out.put(p + "mlp.gate_proj.bias", new long[] {inter});
                    out.put(p + "mlp.up_proj.bias", new long[] {inter});
                }
            }
            out.put(p + "self_attn.o_proj.weight", new long[] {h, q});
            if (outputBias) {
                out.put(p + "self_attn.o_proj.bias", new long[] {h});
            }
            out.put(p + "mlp.down_proj.weight", new long[] {h, inter});
            if (mlpBias) {
                out.put(p + "mlp.down_proj.bias", new long[] {h});
            }
        }
        out.put("model.norm.weight", new long[] {h});
        if (!c.tieWordEmbeddings()) {
            out.put("lm_head.weight", new long[] {c.vocabSize(), h});
        }
        return out;
    }

    /**
     * Gaussian values scaled so activations stay O(1) at any width: norms around 1 (Gemma's stored
     * weight around 0, since it scales by 1 + weight), matrices with std 1.2/sqrt(fan-in), biases 0.3.
     */
    private static float[] values(ModelConfig c, String name, long[] shape, Random random) {
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        float[] data = new float[Math.toIntExact(count)];
        boolean norm = name.endsWith("norm.weight");
        double mean = norm && c.family() != Family.GEMMA2 ? 1 : 0;
        double std = norm ? 0.2
                : name.endsWith(".bias") ? 0.3
                : name.equals("model.embed_tokens.weight") ? 1.0
                : 1.2 / Math.sqrt(shape[1]);
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (mean + std * random.nextGaussian());
        }
        return data;
    }
}
