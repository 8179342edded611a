package dev.tunewright.engine.chat;

import dev.tunewright.engine.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model's chat template bound to its tokenizer: the one place that turns a conversation into the
 * prompt string and ids, with the special tokens filled in the way Hugging Face fills them. Training
 * and generation both go through it so they can never format a conversation differently.
 */
public final class ChatFormatter {

    /** The prompt string and its ids (encoded without adding special tokens; the template already did). */
    public record Prompt(String text, int[] ids) {
    }

    private final ChatTemplate template;
    private final TextTokenizer tokenizer;

    public ChatFormatter(ChatTemplate template, TextTokenizer tokenizer) {
        this.template = template;
        this.tokenizer = tokenizer;
    }

    /** The folder's default chat template with {@code tokenizer}, or empty when the folder has no template. */
    public static Optional<ChatFormatter> forFolder(Path dir, TextTokenizer tokenizer) throws IOException {
        return ChatTemplates.load(dir).map(t -> new ChatFormatter(t, tokenizer));
    }

    public String render(List<?> messages, boolean addGenerationPrompt, Map<String, ?> kwargs) {
        Map<String, Object> vars = ChatTemplate.variables(tokenizer.specialTokens().bosText().orElse(null),
                tokenizer.specialTokens().eosText().orElse(null), kwargs);
        return template.render(messages, addGenerationPrompt, vars);
    }

    public Prompt prompt(List<?> messages, boolean addGenerationPrompt, Map<String, ?> kwargs) {
        String text = render(messages, addGenerationPrompt, kwargs);
        return new Prompt(text, tokenizer.encode(text, false));
    }

    public ChatTemplate template() {
        return template;
    }
}
