package dev.tunewright.dataset.validation;

import dev.tunewright.engine.rows.Message;
import dev.tunewright.engine.rows.Row;
import dev.tunewright.engine.rows.RowFormat;
import java.util.List;

/**
 * What the splitter and the statistics need of a valid row: the prompt side (for leakage and
 * de-duplication), the response (for label balance) and its size. The JSON itself stays in the stored file.
 *
 * @param input      everything the model is given: instruction and input, prompt, or the conversation before the
 *                   last assistant turn
 * @param output     the trained response: output, completion, or the last assistant turn
 * @param characters the characters of every message's content
 */
public record ParsedRow(RowFormat format, String input, String output, int characters) {

    static ParsedRow of(Row row) {
        List<Message> messages = row.messages();
        int characters = messages.stream().mapToInt(m -> m.content().length()).sum();
        if (row.format() != RowFormat.CHAT) {
            return new ParsedRow(row.format(), messages.get(0).content(), messages.get(1).content(), characters);
        }
        int last = row.lastAssistant();
        StringBuilder input = new StringBuilder();
        for (Message m : messages.subList(0, last)) {
            conversationLine(input, m.role(), m.content());
        }
        return new ParsedRow(RowFormat.CHAT, input.toString(), messages.get(last).content(), characters);
    }

    /** One message of a conversation's prompt side, as {@link #input} writes it. */
    static void conversationLine(StringBuilder input, String role, String content) {
        input.append(role).append(": ").append(content).append('\n');
    }
}
