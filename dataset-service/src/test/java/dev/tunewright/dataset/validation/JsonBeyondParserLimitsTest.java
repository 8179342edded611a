package dev.tunewright.dataset.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * JSON that Jackson refuses for its own stream limits (nesting depth, number length, key length) rather than for
 * its syntax. Such errors carry no location; each must still be a problem of its line, never an exception, both
 * on the fast path and in the tree-based validator.
 */
class JsonBeyondParserLimitsTest {

    private static final String GOOD = "{\"prompt\":\"2+2\",\"completion\":\"4\"}\n";

    static Stream<Arguments> lines() {
        return Stream.of(
                Arguments.of("nesting over 1,000 levels", "{\"prompt\":" + "[".repeat(1_500) + "]".repeat(1_500)
                        + ",\"completion\":\"x\"}", "nesting depth"),
                Arguments.of("a number over 1,000 digits", "{\"prompt\":\"a\",\"completion\":\"b\",\"n\":"
                        + "9".repeat(1_500) + "}", "Number value length"),
                Arguments.of("a key over 50,000 characters", "{\"" + "k".repeat(60_000) + "\":\"v\",\"prompt\":\"a\","
                        + "\"completion\":\"b\"}", "Name length"),
                Arguments.of("a chat message nested too deep", "{\"messages\":[{\"role\":\"user\",\"content\":"
                        + "[".repeat(1_500) + "]".repeat(1_500) + "}]}", "nesting depth"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lines")
    void isAProblemOfItsLine(String kind, String line, String message) throws IOException {
        ScanResult result = scan(GOOD + line + "\n" + GOOD.replace("4", "5"));

        assertThat(result.valid()).isFalse();
        assertThat(result.rowCount()).isEqualTo(2);
        assertThat(result.skippedLines()).containsExactly(2L);
        Problem problem = result.problems().get(0);
        assertThat(problem.line()).isEqualTo(2);
        assertThat(problem.code()).isEqualTo("invalid_json");
        assertThat(problem.message()).startsWith("invalid JSON: ").contains(message);
    }

    private static ScanResult scan(String content) throws IOException {
        return new DatasetScanner(ValidationLimits.DEFAULTS, Dedup.EXACT)
                .scan(new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)));
    }
}
