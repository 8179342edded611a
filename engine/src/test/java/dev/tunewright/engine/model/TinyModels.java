package dev.tunewright.engine.model;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tunewright.engine.folder.ModelFolder;
import dev.tunewright.engine.safetensors.DType;
import dev.tunewright.engine.safetensors.SafetensorsFile;
import dev.tunewright.engine.safetensors.SafetensorsWriter;
import dev.tunewright.engine.safetensors.TensorInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Writes tiny random models in the real on-disk format: config.json with the family's real keys and
 * BF16 model.safetensors under HF tensor names. Sizes are small enough for a test to run in
 * milliseconds but keep GQA (4 query heads over 2 kv heads) and every family-specific tensor.
 */
public final class TinyModels {

    static final int HIDDEN = 64;
    static final int INTERMEDIATE = 96;
    static final int HEADS = 4;
    static final int KV_HEADS = 2;
    public static final int VOCAB = 300;

    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // Tiny models gain nothing from intra-op threads, and on a shared 2-core CI machine spinning
        // OpenMP workers make them 10-50x slower; only effective before the engine first starts.
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", "1");
        }
    }

    private TinyModels() {}

    /** Llama with llama3 rope scaling on a short original context so all three frequency bands occur. */
    public static Path llama(Path dir) throws IOException {
        ObjectNode c = base("LlamaForCausalLM", "llama", 3, 32);
        c.put("tie_word_embeddings", false);
        c.put("rope_theta", 10000.0);
        ObjectNode rope = c.putObject("rope_scaling");
        rope.put("rope_type", "llama3").put("factor", 8.0).put("low_freq_factor", 1.0)
                .put("high_freq_factor", 4.0).put("original_max_position_embeddings", 32);
        return write(dir, c, 1);
    }

    /** Qwen2 with q/k/v biases, rope theta 1e6 and tied embeddings. */
    public static Path qwen2(Path dir) throws IOException {
        ObjectNode c = base("Qwen2ForCausalLM", "qwen2", 2, 16);
        c.put("tie_word_embeddings", true);
        c.put("rope_theta", 1000000.0);
        c.put("use_sliding_window", false);
        c.put("sliding_window", 4096);
        c.put("max_window_layers", 2);
        return write(dir, c, 2);
    }

    /** Phi-3 with LongRoPE whose pretrained context (16) is shorter than the test sequences can be. */
    public static Path phi3(Path dir) throws IOException {
        ObjectNode c = base("Phi3ForCausalLM", "phi3", 2, 16);
        c.put("tie_word_embeddings", false);
        c.put("max_position_embeddings", 64);
        c.put("original_max_position_embeddings", 16);
        c.putNull("sliding_window");
        ObjectNode rope = c.putObject("rope_scaling");
        rope.put("type", "longrope");
        var shortFactor = rope.putArray("short_factor");
        var longFactor = rope.putArray("long_factor");
        for (int i = 0; i < 8; i++) {
            shortFactor.add(1.0 + 0.1 * i);
            longFactor.add(1.0 + 1.5 * i);
        }
        return write(dir, c, 3, true);
    }

    /** Gemma 2 with a 5-token sliding window on layers 0 and 2 and soft-caps small enough to bite. */
    public static Path gemma2(Path dir) throws IOException {
        ObjectNode c = base("Gemma2ForCausalLM", "gemma2", 4, 32);
        c.put("tie_word_embeddings", true);
        c.put("hidden_activation", "gelu_pytorch_tanh");
        c.put("query_pre_attn_scalar", 24);
        c.put("attn_logit_softcapping", 1.5);
        c.put("final_logit_softcapping", 4.0);
        c.put("sliding_window", 5);
        return write(dir, c, 4);
    }

    /** Loads a model written by this class on the CPU, through the model folder like any real one. */
    public static LanguageModel load(Path dir) throws IOException {
        try (ModelFolder folder = ModelFolder.open(dir)) {
            return LanguageModel.load(folder, Device.cpu());
        }
    }

    private static ObjectNode base(String architecture, String modelType, int layers, int headDim) {
        ObjectNode c = JSON.createObjectNode();
        c.putArray("architectures").add(architecture);
        c.put("model_type", modelType);
        c.put("hidden_size", HIDDEN);
        c.put("intermediate_size", INTERMEDIATE);
        c.put("num_hidden_layers", layers);
        c.put("num_attention_heads", HEADS);
        c.put("num_key_value_heads", KV_HEADS);
        c.put("head_dim", headDim);
        c.put("vocab_size", VOCAB);
        c.put("max_position_embeddings", 256);
        c.put("rms_norm_eps", 1e-6);
        c.put("rope_theta", 10000.0);
        c.put("hidden_act", architecture.startsWith("Gemma") ? "gelu_pytorch_tanh" : "silu");
        c.put("bos_token_id", 1);
        c.put("eos_token_id", 2);
        c.put("pad_token_id", 0);
        c.put("torch_dtype", "bfloat16");
        return c;
    }

    private static Path write(Path dir, ObjectNode c, long seed) throws IOException {
        return write(dir, c, seed, false);
    }

    /** With {@code sharded}, layer tensors go to a second shard listed in model.safetensors.index.json. */
    private static Path write(Path dir, ObjectNode c, long seed, boolean sharded) throws IOException {
        Files.createDirectories(dir);
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), c);
        ModelConfig config = ModelConfig.fromJson(c);
        Random random = new Random(seed);
        SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt");
        int h = config.hiddenSize();
        int q = config.numAttentionHeads() * config.headDim();
        int kv = config.numKeyValueHeads() * config.headDim();
        int inter = config.intermediateSize();
        boolean gemma = config.family() == Family.GEMMA2;
        add(w, random, "model.embed_tokens.weight", 1.0, config.vocabSize(), h);
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            String p = "model.layers." + i + ".";
            norm(w, random, p + "input_layernorm.weight", h, gemma);
            norm(w, random, p + "post_attention_layernorm.weight", h, gemma);
            if (gemma) {
                norm(w, random, p + "pre_feedforward_layernorm.weight", h, true);
                norm(w, random, p + "post_feedforward_layernorm.weight", h, true);
            }
            if (config.family() == Family.PHI3) {
                add(w, random, p + "self_attn.qkv_proj.weight", 0.15, q + 2 * kv, h);
                add(w, random, p + "mlp.gate_up_proj.weight", 0.15, 2 * inter, h);
            } else {
                add(w, random, p + "self_attn.q_proj.weight", 0.15, q, h);
                add(w, random, p + "self_attn.k_proj.weight", 0.15, kv, h);
                add(w, random, p + "self_attn.v_proj.weight", 0.15, kv, h);
                add(w, random, p + "mlp.gate_proj.weight", 0.15, inter, h);
                add(w, random, p + "mlp.up_proj.weight", 0.15, inter, h);
            }
            if (config.family() == Family.QWEN2) {
                add(w, random, p + "self_attn.q_proj.bias", 0.3, q);
                add(w, random, p + "self_attn.k_proj.bias", 0.3, kv);
                add(w, random, p + "self_attn.v_proj.bias", 0.3, kv);
            }
            add(w, random, p + "self_attn.o_proj.weight", 0.15, h, q);
            add(w, random, p + "mlp.down_proj.weight", 0.15, h, inter);
        }
        norm(w, random, "model.norm.weight", h, gemma);
        if (!config.tieWordEmbeddings()) {
            add(w, random, "lm_head.weight", 0.2, config.vocabSize(), h);
        }
        if (!sharded) {
            w.write(dir.resolve("model.safetensors"));
            return dir;
        }
        // split by name: layers to shard 2, everything else to shard 1
        SafetensorsWriter first = new SafetensorsWriter();
        SafetensorsWriter second = new SafetensorsWriter();
        ObjectNode index = JSON.createObjectNode();
        ObjectNode map = index.putObject("weight_map");
        Path single = dir.resolve("single.tmp");
        w.write(single);
        try (SafetensorsFile all = SafetensorsFile.open(single)) {
            for (TensorInfo t : all.tensors().values()) {
                boolean layer = t.name().startsWith("model.layers.");
                String shard = layer ? "model-00002-of-00002.safetensors" : "model-00001-of-00002.safetensors";
                (layer ? second : first).add(t.name(), t.dtype(), t.shape(), all.readFloats(t.name()));
                map.put(t.name(), shard);
            }
        }
        Files.delete(single);
        first.write(dir.resolve("model-00001-of-00002.safetensors"));
        second.write(dir.resolve("model-00002-of-00002.safetensors"));
        JSON.writeValue(dir.resolve("model.safetensors.index.json").toFile(), index);
        return dir;
    }

    /** Llama-style norms scale by weight (around 1); Gemma's by 1 + weight (weight around 0). */
    private static void norm(SafetensorsWriter w, Random random, String name, int size, boolean gemma) {
        float[] data = new float[size];
        for (int i = 0; i < size; i++) {
            data[i] = (float) ((gemma ? 0 : 1) + 0.2 * random.nextGaussian());
        }
        w.add(name, DType.BF16, new long[] {size}, data);
    }

    private static void add(SafetensorsWriter w, Random random, String name, double std, int... shape) {
        int count = 1;
        long[] dims = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            count *= shape[i];
            dims[i] = shape[i];
        }
        float[] data = new float[count];
        for (int i = 0; i < count; i++) {
            data[i] = (float) (std * random.nextGaussian());
        }
        w.add(name, DType.BF16, dims, data);
    }
}
