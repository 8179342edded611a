package dev.tunewright.engine.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tunewright.engine.model.TinyModels;
import dev.tunewright.engine.tokenizer.WordLevelTokenizerFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@link TrainingTask} as files, for modules that train through a service rather than through this package
 * (trainer-service, e2e-tests, through the engine's test jar): a tiny random Qwen2 folder in the real formats
 * with the task's word-level tokenizer and chat template, and the task's rows as chat JSONL.
 */
public final class TrainingFixtures {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainingFixtures() {}

    /** Writes config.json, model.safetensors, tokenizer.json and tokenizer_config.json (with the chat template). */
    public static Path modelFolder(Path dir) throws IOException {
        TinyModels.qwen2(dir);
        WordLevelTokenizerFiles.write(dir, TrainingTask.VOCAB, 4);
        ObjectNode config = JSON.createObjectNode();
        config.put("bos_token", "<s>").put("eos_token", "</s>").put("chat_template", TrainingTask.TEMPLATE);
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("tokenizer_config.json").toFile(), config);
        return dir;
    }

    /** {@code count} rows of the task in the chat format, one JSON object a line. */
    public static String chatJsonl(int count, long seed) {
        StringBuilder text = new StringBuilder();
        for (TrainingTask.Row r : TrainingTask.rows(count, seed)) {
            try {
                text.append(JSON.writeValueAsString(Map.of("messages", List.of(
                        Map.of("role", "user", "content", r.sentence()),
                        Map.of("role", "assistant", "content", TrainingTask.LABELS.get(r.label())))))).append('\n');
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return text.toString();
    }
}
