package dev.tunewright.engine.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Finds a model's chat template the way transformers does: a {@code chat_template.jinja} file wins
 * (newer checkpoints store it there), else {@code tokenizer_config.json}'s {@code chat_template},
 * which is either one string or a list of {@code {"name", "template"}} entries.
 */
public final class ChatTemplates {

    public static final String JINJA_FILE = "chat_template.jinja";
    public static final String DEFAULT_NAME = "default";

    private ChatTemplates() {
    }

    /** The template named {@code default} (or the only one) from {@code dir}, if any. */
    public static Optional<ChatTemplate> load(Path dir) throws IOException {
        return load(dir, null);
    }

    /** The named template ({@code null}: the default one) from {@code dir}, if the folder has templates. */
    public static Optional<ChatTemplate> load(Path dir, String name) throws IOException {
        Map<String, String> all = all(dir);
        if (all.isEmpty()) {
            return Optional.empty();
        }
        String wanted = name == null ? DEFAULT_NAME : name;
        String source = all.get(wanted);
        if (source == null && name == null && all.size() == 1) {
            source = all.values().iterator().next();
        }
        if (source == null) {
            throw new ChatTemplateException(dir + ": no chat template named '" + wanted + "' (available: " + all.keySet() + ")");
        }
        return Optional.of(ChatTemplate.of(source));
    }

    /** All templates of the folder by name; a single template is named {@code default}. */
    public static Map<String, String> all(Path dir) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        Path jinja = dir.resolve(JINJA_FILE);
        if (Files.isRegularFile(jinja)) {
            out.put(DEFAULT_NAME, Files.readString(jinja));
            return out;
        }
        Path config = dir.resolve("tokenizer_config.json");
        if (!Files.isRegularFile(config)) {
            return out;
        }
        JsonNode node;
        try {
            node = new ObjectMapper().readTree(config.toFile()).path("chat_template");
        } catch (IOException e) {
            throw new IOException(config + ": not valid JSON: " + e.getMessage(), e);
        }
        return fromConfigValue(config, node);
    }

    static Map<String, String> fromConfigValue(Path config, JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node.isTextual()) {
            out.put(DEFAULT_NAME, node.textValue());
        } else if (node.isArray()) {
            for (JsonNode entry : node) {
                if (!entry.path("name").isTextual() || !entry.path("template").isTextual()) {
                    throw new ChatTemplateException(config + ": chat_template list entries need string 'name' and 'template'");
                }
                out.put(entry.path("name").textValue(), entry.path("template").textValue());
            }
        } else if (!node.isMissingNode() && !node.isNull()) {
            throw new ChatTemplateException(config + ": chat_template must be a string or a list of named templates");
        }
        return out;
    }
}
