package dev.tunewright.engine.rows;

import java.util.List;
import java.util.Map;

/**
 * A valid row as a conversation: Alpaca and prompt/completion rows are one user and one assistant turn, a chat
 * row keeps its messages. Everything downstream (token statistics, training) reads rows through this view, so a
 * row means the same conversation everywhere. Only {@link RowContract} makes rows from data.
 */
public record Row(RowFormat format, List<Message> messages) {

    public Row {
        messages = List.copyOf(messages);
    }

    /** The messages as a chat template receives them (see {@link Message#templateView}). */
    public List<Map<String, Object>> templateMessages() {
        return messages.stream().map(Message::templateView).toList();
    }

    /** Index of the last assistant reply; the contract guarantees there is one. */
    public int lastAssistant() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).assistant()) {
                return i;
            }
        }
        throw new IllegalStateException("a row without an assistant reply");
    }
}
