package dev.tunewright.engine.chat;

import dev.tunewright.engine.chat.jinja.JinjaRenderer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A model's own Jinja chat template, rendered the way Hugging Face renders it (Jinja2 with
 * {@code trim_blocks} and {@code lstrip_blocks}, in a sandbox; see {@link JinjaRenderer} for how). Any
 * render error fails: a prompt that differs silently from the one the model was trained on is worse than
 * no prompt.
 */
public final class ChatTemplate {

    private final String source;
    private final String prepared;

    private ChatTemplate(String source) {
        this.source = source;
        this.prepared = JinjaRenderer.prepare(source);
    }

    /** Parses the whitespace structure now so a broken template fails at load, not at first render. */
    public static ChatTemplate of(String source) {
        return new ChatTemplate(Objects.requireNonNull(source, "source"));
    }

    public String source() {
        return source;
    }

    /**
     * Renders {@code messages} (a list of maps with {@code role}, {@code content}, ...). {@code variables}
     * carries {@code bos_token}, {@code eos_token} and any extra template kwargs
     * ({@code date_string}, {@code tools}, ...); values must be plain JSON-like data.
     */
    public String render(List<?> messages, boolean addGenerationPrompt, Map<String, ?> variables) {
        return JinjaRenderer.render(prepared, messages, addGenerationPrompt, variables);
    }

    /** Variables for {@link #render}: the special tokens plus the caller's extra kwargs. */
    public static Map<String, Object> variables(String bosToken, String eosToken, Map<String, ?> kwargs) {
        Map<String, Object> vars = new LinkedHashMap<>();
        if (bosToken != null) {
            vars.put("bos_token", bosToken);
        }
        if (eosToken != null) {
            vars.put("eos_token", eosToken);
        }
        if (kwargs != null) {
            vars.putAll(kwargs);
        }
        return vars;
    }
}
