package dev.tunewright.cli.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunewright.cli.JsonOption;
import dev.tunewright.engine.chat.ChatFormatter;
import dev.tunewright.engine.tokenizer.TextTokenizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Shows the exact prompt string and ids the model's own chat template produces for a conversation. */
@Command(name = "render", mixinStandardHelpOptions = true,
        description = "Render a conversation with the model's chat template and print the text and its token ids.")
public class RenderCommand extends LocalModelCommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    ModelOption model;

    @Option(names = "--messages", required = true, paramLabel = "FILE.json",
            description = "JSON file: a list of {role, content} messages, or an object with a 'messages' list.")
    Path messagesFile;

    @Option(names = "--add-generation-prompt", description = "End with the assistant header, as for generation.")
    boolean addGenerationPrompt;

    @Option(names = "--template-kwargs", paramLabel = "JSON",
            description = "Extra template variables as a JSON object, e.g. '{\"date_string\": \"26 Jul 2024\"}'.")
    String templateKwargs;

    @Mixin
    JsonOption json;

    @Override
    int run(PrintWriter out, PrintWriter err) throws Exception {
        List<?> messages = readMessages(messagesFile);
        Map<String, Object> kwargs = readKwargs(templateKwargs);
        Path dir = model.resolve(err);
        try (TextTokenizer tok = TextTokenizer.open(dir)) {
            ChatFormatter formatter = ChatFormatter.forFolder(dir, tok).orElseThrow(() -> new IOException(
                    dir + ": no chat template (chat_template.jinja or tokenizer_config.json 'chat_template')"));
            ChatFormatter.Prompt prompt = formatter.prompt(messages, addGenerationPrompt, kwargs);
            String rendered = prompt.text();
            int[] ids = prompt.ids();
            if (json.requested()) {
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("text", rendered);
                result.put("token_ids", ids);
                result.put("count", ids.length);
                out.println(JSON.writeValueAsString(result));
            } else {
                out.print(rendered);
                if (!rendered.endsWith("\n")) {
                    out.println();
                }
                out.println("--- " + ids.length + " tokens");
                out.println(Arrays.toString(ids));
            }
        }
        return 0;
    }

    private static List<?> readMessages(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": not a readable JSON file: " + e.getMessage(), e);
        }
        JsonNode list = root != null && root.isObject() ? root.path("messages") : root;
        if (list == null || !list.isArray()) {
            throw new IOException(file + ": expected a JSON list of messages or an object with 'messages'");
        }
        for (JsonNode m : list) {
            if (!m.isObject() || !m.path("role").isTextual()) {
                throw new IOException(file + ": every message needs a string 'role'");
            }
        }
        return JSON.convertValue(list, List.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readKwargs(String text) throws IOException {
        if (text == null || text.isBlank()) {
            return Map.of();
        }
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (IOException e) {
            throw new IOException("--template-kwargs is not valid JSON: " + e.getMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new IOException("--template-kwargs must be a JSON object");
        }
        return JSON.convertValue(node, Map.class);
    }
}
