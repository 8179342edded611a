package dev.tunewright.engine.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a row of any of the three JSONL shapes into chat messages, so that every example is rendered with the
 * base model's own chat template: the dataset service counts tokens and the trainer builds inputs from the
 * same conversation, and the counts the team sees are the lengths the model trains on.
 */
public final class ExampleMessages {

    private ExampleMessages() {
    }

    /**
     * Alpaca ({@code instruction}, optional {@code input}, {@code output}) and prompt/completion become one user
     * and one assistant turn; a chat row keeps its messages ({@code role}, {@code content}, {@code weight}).
     */
    public static List<Map<String, Object>> of(JsonNode row) {
        if (row.has("messages")) {
            List<Map<String, Object>> messages = new ArrayList<>();
            for (JsonNode message : row.get("messages")) {
                Map<String, Object> copy = new LinkedHashMap<>();
                copy.put("role", message.path("role").asText());
                copy.put("content", message.path("content").asText());
                if (message.has("weight")) {
                    copy.put("weight", weight(message.get("weight")));
                }
                messages.add(copy);
            }
            return messages;
        }
        if (row.has("instruction")) {
            String input = row.path("input").asText("");
            String prompt = input.isEmpty() ? row.get("instruction").asText() : row.get("instruction").asText() + "\n\n" + input;
            return turn(prompt, row.path("output").asText());
        }
        if (row.has("prompt")) {
            return turn(row.get("prompt").asText(), row.path("completion").asText());
        }
        throw new IllegalArgumentException("not a training example: expected instruction/output, prompt/completion or messages");
    }

    /** Integral weights as Integer; anything else kept as written so the encoder can refuse it by name. */
    private static Object weight(JsonNode w) {
        if (w.isIntegralNumber() && w.canConvertToInt()) {
            return w.intValue();
        }
        return w.isNumber() ? w.numberValue() : w.asText();
    }

    private static List<Map<String, Object>> turn(String user, String assistant) {
        return List.of(Map.of("role", "user", "content", user), Map.of("role", "assistant", "content", assistant));
    }
}
