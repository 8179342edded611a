package dev.tunewright.engine.rows;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSONL row contract of the whole platform: which rows the dataset service accepts and training reads, and
 * the conversation each one is. One set of rules on both sides, so a dataset the platform accepted never fails
 * in training for its shape (only for what depends on the base model: its chat template, and
 * {@code max_seq_length}). Strict on purpose: an unknown field is usually a typo ({@code ouput}) that would
 * otherwise train the model on nothing.
 *
 * <p>Tool messages are refused, not silently dropped or half-rendered: the contract has no {@code tools} and no
 * {@code tool_calls}, so a tool result would reach the model without the call it answers.
 */
public final class RowContract {

    /** For {@code maxMessages}: no limit on a conversation's length. */
    public static final int UNLIMITED = 0;
    private static final Set<String> MESSAGE_FIELDS = Set.of("role", "content", "weight", "name");
    private static final ObjectMapper MAPS = new ObjectMapper();

    private RowContract() {
    }

    /**
     * The JSON reading every reader of rows uses: a key given twice and anything after the object are errors
     * rather than silently last-wins or ignored.
     */
    public static ObjectMapper json() {
        return new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** The row of any format; the problems of an object of no format or of a non-object are added too. */
    public static Row check(JsonNode row, int maxMessages, List<RowProblem> problems) {
        if (!row.isObject()) {
            problems.add(new RowProblem(null, "not_an_object", "a row must be a JSON object, this one is " + typeOf(row)));
            return null;
        }
        RowFormat format = RowFormat.detect(row);
        if (format == null) {
            problems.add(new RowProblem(null, "unknown_format", RowFormat.UNRECOGNISED));
            return null;
        }
        return check(row, format, maxMessages, problems);
    }

    /** The row read as {@code format}, or null with the reasons added to {@code problems}. */
    public static Row check(JsonNode row, RowFormat format, int maxMessages, List<RowProblem> problems) {
        int before = problems.size();
        for (Iterator<String> names = row.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!format.fields().contains(name)) {
                problems.add(new RowProblem(name, "unknown_field",
                        "unknown field for the " + format.wireName() + " format (expected " + expected(format) + ")"));
            }
        }
        Row parsed = switch (format) {
            case ALPACA -> alpaca(row, problems);
            case PROMPT_COMPLETION -> promptCompletion(row, problems);
            case CHAT -> chat(row, maxMessages, problems);
        };
        return problems.size() == before ? parsed : null;
    }

    /** The row, or a {@link RowException} naming every problem. */
    public static Row read(JsonNode row) {
        List<RowProblem> problems = new ArrayList<>(2);
        Row parsed = check(row, UNLIMITED, problems);
        if (parsed == null) {
            throw new RowException(problems);
        }
        return parsed;
    }

    /** A conversation given as message maps ({@code role}, {@code content}, optional {@code weight}, {@code name}). */
    public static Row chat(List<? extends Map<String, ?>> messages) {
        return read(MAPS.createObjectNode().set("messages", MAPS.valueToTree(messages)));
    }

    private static Row alpaca(JsonNode row, List<RowProblem> problems) {
        String instruction = requiredText(row, "instruction", "instruction", problems);
        String input = optionalText(row, "input", problems);
        String output = requiredText(row, "output", "output", problems);
        if (instruction == null || output == null) {
            return null;
        }
        return turn(RowFormat.ALPACA, RowFormat.alpacaPrompt(instruction, input), output);
    }

    private static Row promptCompletion(JsonNode row, List<RowProblem> problems) {
        String prompt = requiredText(row, "prompt", "prompt", problems);
        String completion = requiredText(row, "completion", "completion", problems);
        if (prompt == null || completion == null) {
            return null;
        }
        return turn(RowFormat.PROMPT_COMPLETION, prompt, completion);
    }

    private static Row turn(RowFormat format, String prompt, String reply) {
        return new Row(format, List.of(Message.of(Message.USER, prompt), Message.of(Message.ASSISTANT, reply)));
    }

    private static Row chat(JsonNode row, int maxMessages, List<RowProblem> problems) {
        JsonNode messages = row.get("messages");
        if (!messages.isArray()) {
            problems.add(new RowProblem("messages", "wrong_type", "must be an array of messages, was " + typeOf(messages)));
            return null;
        }
        if (messages.isEmpty()) {
            problems.add(new RowProblem("messages", "empty_conversation", "conversation has no messages"));
            return null;
        }
        if (maxMessages != UNLIMITED && messages.size() > maxMessages) {
            problems.add(new RowProblem("messages", "too_many_messages",
                    messages.size() + " messages, the limit is " + maxMessages));
            return null;
        }
        int before = problems.size();
        List<Message> parsed = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            Message m = message(messages.get(i), "messages[" + i + "]", problems);
            if (m != null) {
                parsed.add(m);
            }
        }
        if (problems.size() > before) {
            return null;
        }
        if (parsed.stream().noneMatch(Message::assistant)) {
            problems.add(new RowProblem("messages", "no_assistant_reply",
                    "conversation has no assistant reply, so the example has no trainable tokens"));
            return null;
        }
        if (parsed.stream().noneMatch(Message::trained)) {
            problems.add(new RowProblem("messages", "no_trainable_reply",
                    "the example has no trainable tokens: every assistant reply has weight 0"));
            return null;
        }
        return new Row(RowFormat.CHAT, parsed);
    }

    private static Message message(JsonNode message, String path, List<RowProblem> problems) {
        if (!message.isObject()) {
            problems.add(new RowProblem(path, "wrong_type", "must be an object, was " + typeOf(message)));
            return null;
        }
        int before = problems.size();
        for (Iterator<String> names = message.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!MESSAGE_FIELDS.contains(name)) {
                problems.add(new RowProblem(path + "." + name, "unknown_field",
                        "unknown message field (expected role, content, optional weight and name)"));
            }
        }
        String role = requiredText(message, "role", path + ".role", problems);
        if (Message.TOOL.equals(role)) {
            problems.add(new RowProblem(path + ".role", "unsupported_role", "tool messages are not supported yet: "
                    + "training renders no tool calls or tool results (expected system, user or assistant)"));
            return null;
        }
        if (role != null && !Message.ROLES.contains(role)) {
            problems.add(new RowProblem(path + ".role", "unknown_role",
                    "unknown role '" + role + "' (expected system, user or assistant)"));
            return null;
        }
        boolean assistant = Message.ASSISTANT.equals(role);
        String content = assistant
                ? requiredText(message, "content", path + ".content", problems)
                : presentText(message, "content", path + ".content", problems);
        String name = optionalText(message, "name", path + ".name", problems);
        Integer weight = weight(message.get("weight"), assistant, path + ".weight", problems);
        return problems.size() == before ? new Message(role, content, name, weight) : null;
    }

    /** An assistant reply's weight, 0 or 1; null when absent or wrong (then a problem says why). */
    private static Integer weight(JsonNode weight, boolean assistant, String path, List<RowProblem> problems) {
        if (weight == null) {
            return null;
        }
        if (!weight.isIntegralNumber() || !weight.canConvertToInt() || (weight.intValue() != 0 && weight.intValue() != 1)) {
            problems.add(new RowProblem(path, "invalid_weight", "must be 0 or 1, was " + weight));
            return null;
        }
        if (!assistant) {
            problems.add(new RowProblem(path, "invalid_weight", "only assistant messages carry a weight"));
            return null;
        }
        return weight.intValue();
    }

    /** A string that must be present and not blank. */
    private static String requiredText(JsonNode node, String name, String path, List<RowProblem> problems) {
        String value = presentText(node, name, path, problems);
        if (value != null && value.isBlank()) {
            problems.add(new RowProblem(path, "empty_value",
                    name.equals("output") || name.equals("completion") || path.endsWith(".content")
                            ? "empty output: the response to train on is blank" : "must not be blank"));
            return null;
        }
        return value;
    }

    /** A string that must be present but may be empty (a system prompt may be ""). */
    private static String presentText(JsonNode node, String name, String path, List<RowProblem> problems) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            problems.add(new RowProblem(path, "missing_field", "required field is missing"));
            return null;
        }
        return text(value, path, problems);
    }

    private static String optionalText(JsonNode node, String name, List<RowProblem> problems) {
        return optionalText(node, name, name, problems);
    }

    /** A string that may be absent or null. */
    private static String optionalText(JsonNode node, String name, String path, List<RowProblem> problems) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : text(value, path, problems);
    }

    private static String text(JsonNode value, String path, List<RowProblem> problems) {
        if (!value.isTextual()) {
            problems.add(new RowProblem(path, "wrong_type", "must be a string, was " + typeOf(value)));
            return null;
        }
        return value.asText();
    }

    /** How a problem names a JSON value's type: "an array", "a number", ... */
    public static String typeOf(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL, MISSING -> "null";
            case STRING, BINARY -> "a string";
        };
    }

    private static String expected(RowFormat format) {
        List<String> names = new ArrayList<>(format.fields());
        names.sort(null);
        return String.join(", ", names);
    }
}
