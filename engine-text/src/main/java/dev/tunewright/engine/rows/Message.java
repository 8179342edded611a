package dev.tunewright.engine.rows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One turn of a conversation as the row contract admits it.
 *
 * @param role    {@link #SYSTEM}, {@link #USER} or {@link #ASSISTANT}
 * @param content the text; never blank for an assistant reply
 * @param name    the participant's name (OpenAI's optional {@code name}), null when absent; a system or user
 *                message hands it to the chat template, which may render it or not
 * @param weight  0 or 1 on an assistant reply (1: trained), null when the row gave none (trained)
 */
public record Message(String role, String content, String name, Integer weight) {

    public static final String SYSTEM = "system";
    public static final String USER = "user";
    public static final String ASSISTANT = "assistant";
    /** OpenAI's tool-result role, refused by the contract: training renders no tool calls or results yet. */
    public static final String TOOL = "tool";
    public static final List<String> ROLES = List.of(SYSTEM, USER, ASSISTANT);

    public static Message of(String role, String content) {
        return new Message(role, content, null, null);
    }

    public boolean assistant() {
        return ASSISTANT.equals(role);
    }

    /** Whether the loss sees this message (unless the run trains on inputs, which trains every token). */
    public boolean trained() {
        return assistant() && (weight == null || weight == 1);
    }

    /**
     * The message as a chat template reads it: role, content and the name of a system or user message, never the
     * weight (a template that looks at unknown keys must not render differently because of a training setting).
     * An assistant's name is left out: inference prompts the reply with the template's unnamed generation prompt,
     * so a named reply would be trained after a header the model never sees when it generates.
     */
    public Map<String, Object> templateView() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("role", role);
        view.put("content", content);
        if (name != null && !assistant()) {
            view.put("name", name);
        }
        return view;
    }
}
