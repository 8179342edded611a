package dev.tunewright.dataset.validation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tunewright.engine.rows.Message;
import dev.tunewright.engine.rows.RowFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a row straight off Jackson's token stream, without building a tree, and answers only when the row is
 * certainly valid. Building a {@code JsonNode} per line was most of an upload's validation time, yet nearly every
 * row of a real file is valid; so this parser handles exactly the valid shapes and gives up (null) at the first
 * thing it does not expect. The tree-based {@link RowValidator} then decides that row, so every problem report,
 * message and field path stays what it was. The one rule: this class may only accept a row that
 * {@link RowValidator} accepts, with the same {@link ParsedRow}.
 */
final class FastRowParser {

    /**
     * Without Jackson's duplicate detection, which costs a hash set per object of three or more keys: a key seen
     * twice is caught here (every accepted key has a slot).
     */
    private static final JsonFactory JSON = new JsonFactory();

    private final int maxMessages;
    private final List<String> roles = new ArrayList<>();
    private final List<String> contents = new ArrayList<>();

    FastRowParser(int maxMessages) {
        this.maxMessages = maxMessages;
    }

    /**
     * The row when it is a valid row of {@code fileFormat}, or of the format it shows when the file has none yet;
     * null when the tree-based validator must look at it (invalid, or a shape this parser leaves to it).
     */
    ParsedRow parse(byte[] data, int from, int length, RowFormat fileFormat) {
        try (JsonParser parser = JSON.createParser(data, from, length)) {
            ParsedRow row = object(parser);
            if (row == null || parser.nextToken() != null) {
                return null;
            }
            return fileFormat == null || fileFormat == row.format() ? row : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private ParsedRow object(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        String instruction = null;
        String input = null;
        String output = null;
        String prompt = null;
        String completion = null;
        ParsedRow chat = null;
        int seen = 0;
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            int key = switch (parser.currentName()) {
                case "instruction" -> 1;
                case "input" -> 2;
                case "output" -> 4;
                case "prompt" -> 8;
                case "completion" -> 16;
                case "messages" -> 32;
                default -> 0;
            };
            if (key == 0 || (seen & key) != 0) {
                return null; // unknown, or given twice
            }
            seen |= key;
            JsonToken value = parser.nextToken();
            if (key == 32) {
                chat = value == JsonToken.START_ARRAY ? chat(parser) : null;
                if (chat == null) {
                    return null;
                }
                continue;
            }
            if (value != JsonToken.VALUE_STRING) {
                return null;
            }
            String text = parser.getText();
            switch (key) {
                case 1 -> instruction = text;
                case 2 -> input = text;
                case 4 -> output = text;
                case 8 -> prompt = text;
                default -> completion = text;
            }
        }
        if (token != JsonToken.END_OBJECT) {
            return null;
        }
        if (chat != null) {
            boolean alone = instruction == null && input == null && output == null && prompt == null && completion == null;
            return alone ? chat : null;
        }
        if (instruction != null || (output != null && completion == null)) {
            // Alpaca, as RowFormat.detect decides it; any prompt/completion key is then an unknown field.
            if (instruction == null || output == null || prompt != null || completion != null
                    || instruction.isBlank() || output.isBlank()) {
                return null;
            }
            String full = RowFormat.alpacaPrompt(instruction, input);
            return new ParsedRow(RowFormat.ALPACA, full, output, full.length() + output.length());
        }
        if (prompt == null || completion == null || input != null || output != null || prompt.isBlank()
                || completion.isBlank()) {
            return null;
        }
        return new ParsedRow(RowFormat.PROMPT_COMPLETION, prompt, completion, prompt.length() + completion.length());
    }

    /** A conversation, with the parser on its opening bracket. */
    private ParsedRow chat(JsonParser parser) throws IOException {
        roles.clear();
        contents.clear();
        int lastAssistant = -1;
        boolean anyTrained = false;
        int characters = 0;
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.START_OBJECT) {
            if (roles.size() == maxMessages) {
                return null;
            }
            String role = null;
            String content = null;
            int weight = -1;
            boolean named = false;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (name) {
                    case "role", "content" -> {
                        boolean again = name.equals("role") ? role != null : content != null;
                        if (value != JsonToken.VALUE_STRING || again) {
                            return null;
                        }
                        if (name.equals("role")) {
                            role = parser.getText();
                        } else {
                            content = parser.getText();
                        }
                    }
                    case "weight" -> {
                        if (value != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() != JsonParser.NumberType.INT
                                || (parser.getIntValue() != 0 && parser.getIntValue() != 1) || weight >= 0) {
                            return null;
                        }
                        weight = parser.getIntValue();
                    }
                    case "name" -> {
                        if (named || value != JsonToken.VALUE_STRING) {
                            return null;
                        }
                        named = true;
                    }
                    default -> {
                        return null;
                    }
                }
            }
            if (token != JsonToken.END_OBJECT || role == null || content == null || !Message.ROLES.contains(role)) {
                return null;
            }
            boolean assistant = role.equals("assistant");
            if ((assistant && content.isBlank()) || (!assistant && weight >= 0)) {
                return null;
            }
            if (assistant) {
                lastAssistant = roles.size();
                anyTrained |= weight != 0;
            }
            characters += content.length();
            roles.add(role);
            contents.add(content);
        }
        if (token != JsonToken.END_ARRAY || lastAssistant < 0 || !anyTrained) {
            return null;
        }
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < lastAssistant; i++) {
            ParsedRow.conversationLine(input, roles.get(i), contents.get(i));
        }
        return new ParsedRow(RowFormat.CHAT, input.toString(), contents.get(lastAssistant), characters);
    }
}
