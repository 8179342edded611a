package dev.tunewright.engine.model;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tunewright.engine.folder.ModelFolder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;

/**
 * Tiny random models of each family in the real on-disk format (see {@link RandomCheckpoint}), with
 * config.json spelling out the family's real keys. Small enough for a test to run in milliseconds but
 * with GQA (4 query heads over 2 kv heads) and every family-specific tensor and option switched on.
 */
public final class TinyModels {

    static final int HIDDEN = 64;
    static final int INTERMEDIATE = 96;
    static final int HEADS = 4;
    static final int KV_HEADS = 2;
    public static final int VOCAB = 300;

    private static final ObjectMapper JSON = new ObjectMapper();

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

    /** The tiny model of {@code family} ({@code llama}, {@code qwen2}, {@code phi3}, {@code gemma2}) in {@code dir}. */
    public static Path write(String family, Path dir) throws IOException {
        return switch (family) {
            case "llama" -> llama(dir);
            case "qwen2" -> qwen2(dir);
            case "phi3" -> phi3(dir);
            case "gemma2" -> gemma2(dir);
            default -> throw new IllegalArgumentException(family);
        };
    }

    /** {@code length} token ids drawn uniformly from the tiny models' vocabulary. */
    public static int[] randomTokens(Random random, int length) {
        int[] out = new int[length];
        for (int i = 0; i < length; i++) {
            out[i] = random.nextInt(VOCAB);
        }
        return out;
    }

    /** Loads a model written by this class on the CPU, through the model folder like any real one. */
    public static LanguageModel load(Path dir) throws IOException {
        try (ModelFolder folder = ModelFolder.open(dir)) {
            return LanguageModel.load(folder, Device.cpu());
        }
    }

    /** As {@link #load(Path)}, computing in {@code dtype}. */
    public static LanguageModel load(Path dir, DataType dtype) throws IOException {
        try (ModelFolder folder = ModelFolder.open(dir)) {
            return LanguageModel.load(folder, Device.cpu(), dtype);
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
        return RandomCheckpoint.write(dir, c, seed, false);
    }

    private static Path write(Path dir, ObjectNode c, long seed, boolean sharded) throws IOException {
        return RandomCheckpoint.write(dir, c, seed, sharded);
    }
}
