package dev.tunewright.cli.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tunewright.engine.chat.ChatTemplates;
import dev.tunewright.engine.model.RandomCheckpoint;
import dev.tunewright.engine.tokenizer.WordLevelTokenizerFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The quickstart's model when none is given: a tiny randomly initialised Llama-architecture decoder in the real
 * Hugging Face layout (config.json, BF16 safetensors, a word-level tokenizer over {@link DemoTickets#vocabulary()}
 * with a ChatML-style template), installed in the stack's models folder under {@value #NAME}. It knows nothing;
 * what the quickstart shows with it is the platform's mechanics, fast enough for two CPU cores.
 */
public final class DemoModel {

    public static final String NAME = "tunewright-demo-tiny";
    /** Bumped whenever what {@link #install} writes changes, so an older folder is written again. */
    static final int VERSION = 1;
    static final String VERSION_KEY = "tunewright_demo_version";
    static final String TEMPLATE = "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}"
            + "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}";
    /** Ids 1 to 4 are special: BOS, EOS and the template's turn markers; 0 is the unknown word. */
    static final List<String> SPECIAL = List.of("[UNK]", "<s>", "</s>", "<|im_start|>", "<|im_end|>");
    static final List<String> ROLES = List.of("system", "user", "assistant");
    static final int HIDDEN = 64;
    static final int LAYERS = 2;
    /** The context length; a demo ticket with its template is under 40 tokens. */
    public static final int MAX_POSITIONS = 256;
    private static final long SEED = 7;
    private static final ObjectMapper JSON = new ObjectMapper();

    private DemoModel() {
    }

    /**
     * The demo model's folder in {@code modelsDir}, written unless a current one is there. Written next to it and
     * renamed into place, so a folder under this name is always complete.
     *
     * @return true in {@code written} when this call wrote it
     */
    public static Installed install(Path modelsDir) {
        Path target = modelsDir.resolve(NAME);
        if (isCurrent(target)) {
            return new Installed(target, false);
        }
        Path partial = modelsDir.resolve("." + NAME + "-" + UUID.randomUUID() + ".partial");
        try {
            Files.createDirectories(modelsDir);
            write(partial);
            if (Files.exists(target)) {
                delete(target);
            }
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException raced) {
                // Another quickstart installed it a moment ago; theirs is as good as ours.
                delete(partial);
            }
            return new Installed(target, true);
        } catch (IOException e) {
            deleteQuietly(partial);
            throw new UncheckedIOException("cannot write the demo model into " + target + ": " + e.getMessage(), e);
        }
    }

    /** Where the model is and whether this call wrote it. */
    public record Installed(Path folder, boolean written) {
    }

    /** The tokenizer's vocabulary: special tokens, role names, then every word of the demo tickets. */
    public static List<String> vocabulary() {
        List<String> vocab = new ArrayList<>(SPECIAL);
        vocab.addAll(ROLES);
        DemoTickets.vocabulary().stream().filter(word -> !vocab.contains(word)).forEach(vocab::add);
        return List.copyOf(vocab);
    }

    static void write(Path dir) throws IOException {
        List<String> vocab = vocabulary();
        RandomCheckpoint.write(dir, config(vocab.size()), SEED, false);
        WordLevelTokenizerFiles.write(dir, vocab, SPECIAL.size() - 1);
        Files.writeString(dir.resolve("tokenizer_config.json"), JSON.writeValueAsString(java.util.Map.of(
                "bos_token", "<s>", "eos_token", "</s>", "model_max_length", MAX_POSITIONS)));
        Files.writeString(dir.resolve(ChatTemplates.JINJA_FILE), TEMPLATE);
        // A reply ends with the end of its turn, as with real instruct models.
        Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": [2, 4], \"pad_token_id\": 0}");
        Files.writeString(dir.resolve("README.md"), """
                # %s

                A tiny, randomly initialised decoder (Llama architecture, %d layers, hidden size %d, %d words) written by
                `ftctl quickstart` so that the whole fine-tuning flow runs in minutes on a laptop CPU. It knows nothing:
                its evaluation numbers show the platform's mechanics, not the quality of a real model. Give the
                quickstart `--model Qwen/Qwen2.5-0.5B-Instruct` (or a model folder) for that.
                """.formatted(NAME, LAYERS, HIDDEN, vocab.size()));
    }

    static ObjectNode config(int vocabSize) {
        ObjectNode c = JSON.createObjectNode();
        c.putArray("architectures").add("LlamaForCausalLM");
        c.put("model_type", "llama");
        c.put("hidden_size", HIDDEN);
        c.put("intermediate_size", HIDDEN * 2);
        c.put("num_hidden_layers", LAYERS);
        c.put("num_attention_heads", 4);
        c.put("num_key_value_heads", 2);
        c.put("head_dim", HIDDEN / 4);
        c.put("vocab_size", vocabSize);
        c.put("max_position_embeddings", MAX_POSITIONS);
        c.put("rms_norm_eps", 1e-6);
        c.put("rope_theta", 10000.0);
        c.put("hidden_act", "silu");
        c.put("tie_word_embeddings", true);
        c.put("bos_token_id", 1);
        c.put("eos_token_id", 2);
        c.put("pad_token_id", 0);
        c.put("torch_dtype", "bfloat16");
        c.put(VERSION_KEY, VERSION);
        return c;
    }

    private static boolean isCurrent(Path dir) {
        Path config = dir.resolve("config.json");
        if (!Files.isRegularFile(config) || !Files.isRegularFile(dir.resolve("model.safetensors"))
                || !Files.isRegularFile(dir.resolve("tokenizer.json"))) {
            return false;
        }
        try {
            JsonNode json = JSON.readTree(config.toFile());
            return json.path(VERSION_KEY).asInt(-1) == VERSION;
        } catch (IOException e) {
            return false;
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            if (Files.exists(dir)) {
                delete(dir);
            }
        } catch (IOException ignored) {
            // a stray .partial folder is harmless and named as such
        }
    }
}
