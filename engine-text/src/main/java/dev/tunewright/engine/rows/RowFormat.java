package dev.tunewright.engine.rows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * The three JSONL shapes fine-tuning tools agree on. A file uses one of them throughout (the dataset service
 * enforces that; a row on its own is decided by its distinguishing key).
 */
public enum RowFormat {
    /** {@code instruction}, optional {@code input}, {@code output} (Stanford Alpaca). */
    ALPACA("alpaca", Set.of("instruction", "input", "output")),
    /** {@code prompt}, {@code completion} (OpenAI legacy and TRL). */
    PROMPT_COMPLETION("prompt_completion", Set.of("prompt", "completion")),
    /** {@code messages}: a conversation with roles system, user and assistant. */
    CHAT("chat", Set.of("messages"));

    /** What a row that shows none of the formats is told. */
    public static final String UNRECOGNISED =
            "not a training example: expected instruction/output (alpaca), prompt/completion, or messages (chat)";

    private final String wireName;
    private final Set<String> fields;

    RowFormat(String wireName, Set<String> fields) {
        this.wireName = wireName;
        this.fields = fields;
    }

    /** The format's name in files, reports and the API. */
    public String wireName() {
        return wireName;
    }

    /** The top-level fields a row of this format may have. */
    public Set<String> fields() {
        return fields;
    }

    /** The format an object looks like, by its distinguishing key, or null when it looks like none. */
    public static RowFormat detect(JsonNode row) {
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

    /**
     * The user turn of an Alpaca row: the instruction, and the input after a blank line when there is one (the
     * Alpaca prompt without its preamble, which the chat template replaces).
     */
    public static String alpacaPrompt(String instruction, String input) {
        return input == null || input.isEmpty() ? instruction : instruction + "\n\n" + input;
    }
}
