package dev.tunewright.dataset.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks one JSON object against its format. Strict on purpose: an unknown field is usually a typo
 * ({@code ouput}) that would otherwise train the model on nothing.
 */
final class RowValidator {

    private static final Set<String> ROLES = Set.of("system", "user", "assistant", "tool");
    private static final Set<String> MESSAGE_FIELDS = Set.of("role", "content", "weight", "name");

    private final ValidationLimits limits;

    RowValidator(ValidationLimits limits) {
        this.limits = limits;
    }

    /** The row's content, or null with the reasons added to {@code problems}. */
    ParsedRow validate(long line, JsonNode row, DatasetFormat format, List<Problem> problems) {
        int before = problems.size();
        for (Iterator<String> names = row.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!format.fields().contains(name)) {
                problems.add(Problem.at(line, name, "unknown_field",
                        "unknown field for the " + format.wireName() + " format (expected " + expected(format) + ")"));
            }
        }
        ParsedRow parsed = switch (format) {
            case ALPACA -> alpaca(line, row, problems);
            case PROMPT_COMPLETION -> promptCompletion(line, row, problems);
            case CHAT -> chat(line, row, problems);
        };
        return problems.size() == before ? parsed : null;
    }

    private ParsedRow alpaca(long line, JsonNode row, List<Problem> problems) {
        String instruction = requiredText(line, row, "instruction", "instruction", problems);
        String input = optionalText(line, row, "input", "input", problems);
        String output = requiredText(line, row, "output", "output", problems);
        if (instruction == null || output == null) {
            return null;
        }
        String prompt = input == null || input.isEmpty() ? instruction : instruction + "\n\n" + input;
        return new ParsedRow(DatasetFormat.ALPACA, prompt, output, prompt.length() + output.length());
    }

    private ParsedRow promptCompletion(long line, JsonNode row, List<Problem> problems) {
        String prompt = requiredText(line, row, "prompt", "prompt", problems);
        String completion = requiredText(line, row, "completion", "completion", problems);
        if (prompt == null || completion == null) {
            return null;
        }
        return new ParsedRow(DatasetFormat.PROMPT_COMPLETION, prompt, completion, prompt.length() + completion.length());
    }

    private ParsedRow chat(long line, JsonNode row, List<Problem> problems) {
        JsonNode messages = row.get("messages");
        if (!messages.isArray()) {
            problems.add(Problem.at(line, "messages", "wrong_type", "must be an array of messages, was " + typeOf(messages)));
            return null;
        }
        if (messages.isEmpty()) {
            problems.add(Problem.at(line, "messages", "empty_conversation", "conversation has no messages"));
            return null;
        }
        if (messages.size() > limits.maxMessages()) {
            problems.add(Problem.at(line, "messages", "too_many_messages",
                    messages.size() + " messages, the limit is " + limits.maxMessages()));
            return null;
        }
        int before = problems.size();
        int lastAssistant = -1;
        boolean anyTrained = false;
        int characters = 0;
        for (int i = 0; i < messages.size(); i++) {
            String path = "messages[" + i + "]";
            JsonNode message = messages.get(i);
            if (!message.isObject()) {
                problems.add(Problem.at(line, path, "wrong_type", "must be an object, was " + typeOf(message)));
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = message.fields(); it.hasNext(); ) {
                String name = it.next().getKey();
                if (!MESSAGE_FIELDS.contains(name)) {
                    problems.add(Problem.at(line, path + "." + name, "unknown_field",
                            "unknown message field (expected role, content, optional weight and name)"));
                }
            }
            String role = requiredText(line, message, "role", path + ".role", problems);
            if (role != null && !ROLES.contains(role)) {
                problems.add(Problem.at(line, path + ".role", "unknown_role",
                        "unknown role '" + role + "' (expected system, user, assistant or tool)"));
                continue;
            }
            boolean assistant = "assistant".equals(role);
            String content = assistant
                    ? requiredText(line, message, "content", path + ".content", problems)
                    : presentText(line, message, "content", path + ".content", problems);
            if (content != null) {
                characters += content.length();
            }
            JsonNode weight = message.get("weight");
            int weightValue = 1;
            if (weight != null) {
                if (!weight.isIntegralNumber() || (weight.asInt() != 0 && weight.asInt() != 1)) {
                    problems.add(Problem.at(line, path + ".weight", "invalid_weight", "must be 0 or 1, was " + weight));
                } else if (!assistant) {
                    problems.add(Problem.at(line, path + ".weight", "invalid_weight",
                            "only assistant messages carry a weight"));
                } else {
                    weightValue = weight.asInt();
                }
            }
            if (assistant) {
                lastAssistant = i;
                anyTrained |= weightValue == 1;
            }
        }
        if (problems.size() > before) {
            return null;
        }
        if (lastAssistant < 0) {
            problems.add(Problem.at(line, "messages", "no_assistant_reply", "conversation has no assistant reply"));
            return null;
        }
        if (!anyTrained) {
            problems.add(Problem.at(line, "messages", "no_trainable_reply",
                    "every assistant reply has weight 0, so nothing would be trained"));
            return null;
        }
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < lastAssistant; i++) {
            JsonNode message = messages.get(i);
            input.append(message.get("role").asText()).append(": ").append(message.path("content").asText()).append('\n');
        }
        return new ParsedRow(DatasetFormat.CHAT, input.toString(), messages.get(lastAssistant).get("content").asText(),
                characters);
    }

    /** A string that must be present and not blank. */
    private static String requiredText(long line, JsonNode node, String name, String path, List<Problem> problems) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            problems.add(Problem.at(line, path, "missing_field", "required field is missing"));
            return null;
        }
        if (!value.isTextual()) {
            problems.add(Problem.at(line, path, "wrong_type", "must be a string, was " + typeOf(value)));
            return null;
        }
        if (value.asText().isBlank()) {
            problems.add(Problem.at(line, path, "empty_value",
                    name.equals("output") || name.equals("completion") || path.endsWith(".content")
                            ? "empty output: the response to train on is blank" : "must not be blank"));
            return null;
        }
        return value.asText();
    }

    /** A string that must be present but may be empty (a system prompt may be ""). */
    private static String presentText(long line, JsonNode node, String name, String path, List<Problem> problems) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            problems.add(Problem.at(line, path, "missing_field", "required field is missing"));
            return null;
        }
        if (!value.isTextual()) {
            problems.add(Problem.at(line, path, "wrong_type", "must be a string, was " + typeOf(value)));
            return null;
        }
        return value.asText();
    }

    private static String optionalText(long line, JsonNode node, String name, String path, List<Problem> problems) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            problems.add(Problem.at(line, path, "wrong_type", "must be a string, was " + typeOf(value)));
            return null;
        }
        return value.asText();
    }

    static String typeOf(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL, MISSING -> "null";
            case STRING, BINARY -> "a string";
        };
    }

    private static String expected(DatasetFormat format) {
        List<String> names = new ArrayList<>(format.fields());
        names.sort(null);
        return String.join(", ", names);
    }
}
