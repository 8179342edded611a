package dev.tunewright.dataset.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * The three JSONL shapes fine-tuning tools agree on. A file uses one of them throughout; the first valid
 * object decides, and later lines in another shape are errors rather than silently mixed data.
 */
public enum DatasetFormat {
    /** {@code instruction}, optional {@code input}, {@code output} (Stanford Alpaca). */
    ALPACA("alpaca", Set.of("instruction", "input", "output")),
    /** {@code prompt}, {@code completion} (OpenAI legacy and TRL). */
    PROMPT_COMPLETION("prompt_completion", Set.of("prompt", "completion")),
    /** {@code messages}: a conversation with roles system, user, assistant and tool. */
    CHAT("chat", Set.of("messages"));

    private final String wireName;
    private final Set<String> fields;

    DatasetFormat(String wireName, Set<String> fields) {
        this.wireName = wireName;
        this.fields = fields;
    }

    public String wireName() {
        return wireName;
    }

    public Set<String> fields() {
        return fields;
    }

    /** The format an object looks like, by its distinguishing key, or null when it looks like none. */
    public static DatasetFormat detect(JsonNode row) {
        if (row.has("messages")) {
            return CHAT;
        }
        if (row.has("instruction") || (row.has("output") && !row.has("completion"))) {
            return ALPACA;
        }
        if (row.has("prompt") || row.has("completion")) {
            return PROMPT_COMPLETION;
        }
        return null;
    }
}
