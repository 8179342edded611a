package dev.tunewright.common.rest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTextTest {

    @Test
    void clientTextCannotBreakOrForgeALogLine() {
        String forged = "a.jsonl\n2026-01-01 00:00:00,000 INFO  [fake] (x) admin logged in\r\u0000\u2028\"";
        String quoted = LogText.quote(forged);

        assertThat(quoted).doesNotContain("\n", "\r", "\u0000", "\u2028")
                .startsWith("\"a.jsonl\\u000a2026").endsWith("\\u000d\\u0000\\u2028\\\"\"");
        assertThat(LogText.quote(null)).isEqualTo("null");
        assertThat(LogText.quote("é plain")).isEqualTo("\"é plain\"");
    }

    @Test
    void longTextIsCutWithItsLength() {
        assertThat(LogText.quote("x".repeat(10_000))).hasSizeLessThan(300).endsWith("...(10000 chars)\"");
    }
}
