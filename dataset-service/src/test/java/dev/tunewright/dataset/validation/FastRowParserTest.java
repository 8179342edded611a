package dev.tunewright.dataset.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunewright.engine.rows.RowContract;
import dev.tunewright.engine.rows.RowFormat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fast parser may only accept what the tree validator accepts, with the same result. */
class FastRowParserTest {

    private static final ObjectMapper TREE = RowContract.json();
    private static final ValidationLimits LIMITS = new ValidationLimits(1 << 20, 1_000, 100, 5);

    private static final List<String> VALID = List.of(
            "{\"instruction\":\"Say hi\",\"input\":\"\",\"output\":\"hi\"}",
            "{\"instruction\":\"Say hi\",\"output\":\"hi\"}",
            "{\"output\":\"hi\",\"input\":\"to Bob\",\"instruction\":\"Say hi\"}",
            "{\"instruction\":\"caf\\u00e9 \\\"quoted\\\"\\n\",\"input\":\"  \",\"output\":\"\\ud83d\\ude00\"}",
            "{\"prompt\":\"2+2=\",\"completion\":\"4\"}",
            " { \"completion\" : \"4\" , \"prompt\" : \"2+2=\" } ",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"hello\"}]}",
            "{\"messages\":[{\"role\":\"system\",\"content\":\"\"},{\"role\":\"user\",\"content\":\"hi\",\"name\":\"ann\"},"
                    + "{\"role\":\"assistant\",\"content\":\"x\",\"weight\":0},{\"role\":\"user\",\"content\":\"t\"},"
                    + "{\"content\":\"done\",\"weight\":1,\"role\":\"assistant\",\"name\":\"bot\"}]}");

    private static final List<String> INVALID_OR_LEFT_TO_THE_VALIDATOR = List.of(
            "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},{\"role\":\"tool\",\"content\":\"t\"},"
                    + "{\"role\":\"assistant\",\"content\":\"a\"}]}",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\",\"name\":7},{\"role\":\"assistant\",\"content\":\"x\"}]}",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\",\"name\":true},{\"role\":\"assistant\",\"content\":\"x\"}]}",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\",\"name\":null},{\"role\":\"assistant\",\"content\":\"x\"}]}",
            "{\"instruction\":\"a\",\"output\":\" \"}",
            "{\"instruction\":\" \",\"output\":\"b\"}",
            "{\"instruction\":\"a\"}",
            "{\"output\":\"b\"}",
            "{\"input\":\"b\"}",
            "{\"instruction\":\"a\",\"output\":\"b\",\"completion\":\"c\"}",
            "{\"instruction\":\"a\",\"output\":\"b\",\"prompt\":\"c\"}",
            "{\"instruction\":\"a\",\"output\":\"b\",\"ouput\":\"c\"}",
            "{\"instruction\":\"a\",\"input\":null,\"output\":\"b\"}",
            "{\"instruction\":\"a\",\"output\":\"b\",\"output\":\"b\"}",
            "{\"instruction\":\"a\",\"output\":\"b\"} {}",
            "{\"instruction\":\"a\",\"output\":\"b\"}x",
            "{\"instruction\":\"a\",\"output\":1}",
            "{\"prompt\":\"a\",\"completion\":\"b\",\"output\":\"c\"}",
            "{\"prompt\":\"a\",\"completion\":\"b\",\"input\":\"c\"}",
            "{\"prompt\":\"a\"}",
            "{\"completion\":\"a\"}",
            "{\"prompt\":\"\",\"completion\":\"b\"}",
            "{\"prompt\":[\"a\"],\"completion\":\"b\"}",
            "{\"text\":\"a\"}",
            "{}",
            "[1,2]",
            "\"text\"",
            "{\"prompt\":\"a\",",
            "{\"messages\":[]}",
            "{\"messages\":{}}",
            "{\"messages\":[\"hi\"]}",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"x\",\"weight\":0}]}",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\",\"weight\":1},{\"role\":\"assistant\",\"content\":\"x\"}]}",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"x\",\"weight\":2}]}",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"x\",\"weight\":1.0}]}",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"x\",\"weight\":4294967296}]}",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"x\",\"weight\":null}]}",
            "{\"messages\":[{\"role\":\"user\"},{\"role\":\"assistant\",\"content\":\"x\"}]}",
            "{\"messages\":[{\"role\":\"user\",\"content\":null},{\"role\":\"assistant\",\"content\":\"x\"}]}",
            "{\"messages\":[{\"role\":\"bot\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"x\"}]}",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"  \"}]}",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\",\"extra\":1},{\"role\":\"assistant\",\"content\":\"x\"}]}",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\",\"name\":{\"a\":1,\"a\":2}},{\"role\":\"assistant\",\"content\":\"x\"}]}",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\",\"name\":{\"a\":[1,{}]}},{\"role\":\"assistant\",\"content\":\"x\"}]}",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"x\"}],\"prompt\":\"p\"}",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"x\"}],"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"x\"}]}",
            "{\"messages\":[{\"role\":\"user\",\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"x\"}]}",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\",\"name\":\"a\",\"name\":\"b\"},{\"role\":\"assistant\",\"content\":\"x\"}]}",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"x\",\"weight\":1,\"weight\":1}]}",
            "{\"prompt\":\"a\",\"completion\":\"b\",\"prompt\":\"a\"}",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"1\"},{\"role\":\"user\",\"content\":\"2\"},{\"role\":\"user\",\"content\":\"3\"},"
                    + "{\"role\":\"user\",\"content\":\"3b\"},"
                    + "{\"role\":\"user\",\"content\":\"4\"},{\"role\":\"assistant\",\"content\":\"x\"}]}");

    /** What the tree validator makes of a line that announces {@code format} (null: the line's own format). */
    private static ParsedRow validator(String line, RowFormat format) {
        JsonNode node;
        try {
            node = TREE.readTree(line);
        } catch (Exception e) {
            return null;
        }
        if (node == null || !node.isObject() || RowFormat.detect(node) == null) {
            return null;
        }
        RowFormat detected = RowFormat.detect(node);
        if (format != null && detected != format) {
            return null;
        }
        List<Problem> problems = new ArrayList<>();
        ParsedRow row = new RowValidator(LIMITS).validate(1, node, detected, problems);
        return problems.isEmpty() ? row : null;
    }

    private static ParsedRow fast(String line, RowFormat format) {
        byte[] bytes = (" " + line + " ").getBytes(StandardCharsets.UTF_8);
        return new FastRowParser(LIMITS.maxMessages()).parse(bytes, 1, bytes.length - 2, format);
    }

    @Test
    void acceptsTheValidShapesWithTheValidatorsResult() {
        for (String line : VALID) {
            ParsedRow expected = validator(line, null);
            assertThat(expected).as("fixture is valid: %s", line).isNotNull();
            assertThat(fast(line, null)).as(line).isEqualTo(expected);
            assertThat(fast(line, expected.format())).as(line).isEqualTo(expected);
        }
    }

    @Test
    void leavesEveryInvalidRowToTheValidator() {
        for (String line : INVALID_OR_LEFT_TO_THE_VALIDATOR) {
            for (RowFormat format : new RowFormat[] {null, RowFormat.ALPACA, RowFormat.PROMPT_COMPLETION,
                RowFormat.CHAT}) {
                ParsedRow fast = fast(line, format);
                if (fast != null) {
                    assertThat(fast).as("%s as %s", line, format).isEqualTo(validator(line, format));
                }
            }
            assertThat(fast(line, null)).as(line).isNull();
        }
    }

    @Test
    void aRowOfAnotherFormatThanTheFilesIsLeftToTheValidator() {
        for (String line : VALID) {
            RowFormat own = validator(line, null).format();
            for (RowFormat other : RowFormat.values()) {
                if (other != own) {
                    assertThat(fast(line, other)).as("%s as %s", line, other).isNull();
                }
            }
        }
    }
}
