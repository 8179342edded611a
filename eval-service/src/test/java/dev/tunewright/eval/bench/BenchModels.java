package dev.tunewright.eval.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tunewright.common.artifact.ArtifactFolder;
import dev.tunewright.common.artifact.ArtifactStore;
import dev.tunewright.engine.chat.ChatTemplates;
import dev.tunewright.engine.lora.LoraAdapters;
import dev.tunewright.engine.lora.LoraConfig;
import dev.tunewright.engine.model.LanguageModel;
import dev.tunewright.engine.model.RandomCheckpoint;
import dev.tunewright.engine.model.TinyModels;
import dev.tunewright.engine.tokenizer.WordLevelTokenizerFiles;
import dev.tunewright.engine.train.TrainingTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The models the evaluation benchmarks run: random weights in the real on-disk format, with the keyword task's
 * word-level tokenizer and chat template, and a random LoRA adapter (rank 16 on every linear, non-zero B so it
 * changes every forward pass) stored in the artifact store as a trainer would store it. No EOS id is configured,
 * so every generation runs to its token limit and the runs compare equal amounts of work.
 */
final class BenchModels {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BenchModels() {
    }

    /** The engine tests' tiny Llama (hidden 64, 3 layers, vocab 300). */
    static Path tiny(Path dir) throws IOException {
        ObjectNode config = (ObjectNode) JSON.readTree(TinyModels.llama(dir.resolveSibling(dir.getFileName() + "-src"))
                .resolve("config.json").toFile());
        return finish(dir, config, TinyModels.VOCAB);
    }

    /** SmolLM2-135M's shape (hidden 576, 30 layers, 9 heads over 3 kv heads, intermediate 1536), vocab 32,000. */
    static Path small(Path dir) throws IOException {
        ObjectNode c = JSON.createObjectNode();
        c.putArray("architectures").add("LlamaForCausalLM");
        c.put("model_type", "llama").put("hidden_size", 576).put("intermediate_size", 1536).put("num_hidden_layers", 30)
                .put("num_attention_heads", 9).put("num_key_value_heads", 3).put("head_dim", 64).put("vocab_size", 32000)
                .put("max_position_embeddings", 2048).put("rms_norm_eps", 1e-5).put("rope_theta", 100000.0)
                .put("hidden_act", "silu").put("tie_word_embeddings", true).put("bos_token_id", 1).put("pad_token_id", 0)
                .put("torch_dtype", "float32");
        return finish(dir, c, 32000);
    }

    private static Path finish(Path dir, ObjectNode config, int vocab) throws IOException {
        config.remove("eos_token_id");
        RandomCheckpoint.write(dir, config, 7, false);
        List<String> words = new ArrayList<>(TrainingTask.VOCAB);
        for (int i = words.size(); i < vocab; i++) {
            words.add(String.format(Locale.ROOT, "w%05d", i));
        }
        WordLevelTokenizerFiles.write(dir, words, 4);
        // a BOS but no EOS: generation always runs to its limit
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"bos_token\": \"<s>\"}");
        Files.writeString(dir.resolve(ChatTemplates.JINJA_FILE), TrainingTask.TEMPLATE);
        return dir;
    }

    /** A random rank-16 adapter for {@code model}, stored as an adapter folder artifact; returns its id. */
    static String adapter(Path model, Path work, ArtifactStore store) throws IOException {
        Path dir = work.resolve("adapter-" + model.getFileName());
        try (LanguageModel loaded = TinyModels.load(model);
             LoraAdapters lora = LoraAdapters.attach(loaded, new LoraConfig(16, 32, 0, List.of(LoraConfig.ALL_LINEAR), false), 5)) {
            Random random = new Random(11);
            lora.byPeftKey().forEach((key, array) -> {
                if (key.endsWith(".lora_B.weight")) {
                    float[] v = new float[Math.toIntExact(array.size())];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = (float) (0.02 * random.nextGaussian());
                    }
                    array.set(v);
                }
            });
            lora.save(dir, model.getFileName().toString(), null);
        }
        return ArtifactFolder.put(store, dir).id();
    }

    /** CPU model, the vector flags that matter to PyTorch, and the load average, for the benchmark's table row. */
    static String machine() throws IOException {
        String model = "?";
        String flags = "";
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            for (String line : lines.toList()) {
                if (line.startsWith("model name") && model.equals("?")) {
                    model = line.substring(line.indexOf(':') + 1).strip();
                } else if (line.startsWith("flags") && flags.isEmpty()) {
                    flags = String.join(" ", Stream.of(line.substring(line.indexOf(':') + 1).strip().split(" "))
                            .filter(f -> f.matches("avx|avx2|fma|avx512f|avx512_bf16|avx512_vnni|amx_.*")).toList());
                }
            }
        }
        return model + ", " + Runtime.getRuntime().availableProcessors() + " CPUs, flags " + flags + ", load average "
                + Files.readString(Path.of("/proc/loadavg")).strip().split(" ", 4)[0] + " "
                + Files.readString(Path.of("/proc/loadavg")).strip().split(" ", 4)[1] + " "
                + Files.readString(Path.of("/proc/loadavg")).strip().split(" ", 4)[2];
    }
}
