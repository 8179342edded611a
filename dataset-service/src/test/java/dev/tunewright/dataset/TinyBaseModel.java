package dev.tunewright.dataset;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tunewright.engine.tokenizer.WordLevelTokenizerFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The tokenizer files of a base model, tiny and in the real Hugging Face format: one id per word of {@link #VOCAB}
 * (whitespace never becomes a token), with or without a ChatML-like chat template that renders message names, so
 * tests of the dataset service count tokens exactly as training does.
 */
public final class TinyBaseModel {

    public static final String CHATML = "{% for m in messages %}<|im_start|>{{ m.role }}{{ (' ' + m.name) if m.name is defined else '' }}"
            + "\n{{ m.content }}<|im_end|>\n{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}";

    public static final List<String> VOCAB = List.of("[UNK]", "<s>", "</s>", "<|im_start|>", "<|im_end|>", "system", "user",
            "assistant", "be", "brief", "say", "hi", "hello", "there", "how", "are", "you", "fine", "thanks", "ann", "bob");

    private TinyBaseModel() {
    }

    /** The folder {@code dir}, created, with the tokenizer and, when {@code template} is not null, that chat template. */
    public static Path write(Path dir, String template) throws IOException {
        Files.createDirectories(dir);
        WordLevelTokenizerFiles.write(dir, VOCAB, 4);
        if (template != null) {
            ObjectMapper json = new ObjectMapper();
            ObjectNode config = (ObjectNode) json.readTree(dir.resolve("tokenizer_config.json").toFile());
            json.writeValue(dir.resolve("tokenizer_config.json").toFile(), config.put("chat_template", template));
        }
        return dir;
    }
}
