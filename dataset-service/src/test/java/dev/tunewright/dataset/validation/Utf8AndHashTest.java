package dev.tunewright.dataset.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8AndHashTest {

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    @Test
    void wellFormedUtf8IsAccepted() {
        assertThat(Utf8.firstInvalid("plain ascii, café, 日本語, 🎉".getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
        assertThat(Utf8.firstInvalid(new byte[0])).isEqualTo(-1);
    }

    @Test
    void malformedUtf8IsLocated() {
        assertThat(Utf8.firstInvalid(bytes('a', 0xC3, 0x28))).isEqualTo(1);        // bad continuation
        assertThat(Utf8.firstInvalid(bytes('a', 'b', 0xE9))).isEqualTo(2);         // Latin-1 é, truncated sequence
        assertThat(Utf8.firstInvalid(bytes(0xC0, 0xAF))).isEqualTo(0);             // overlong encoding
        assertThat(Utf8.firstInvalid(bytes(0xED, 0xA0, 0x80))).isEqualTo(0);       // UTF-16 surrogate
        assertThat(Utf8.firstInvalid(bytes(0xF4, 0x90, 0x80, 0x80))).isEqualTo(0); // above U+10FFFF
        assertThat(Utf8.firstInvalid(bytes(0xE0, 0x80, 0x80))).isEqualTo(0);       // overlong 3-byte
        assertThat(Utf8.firstInvalid(bytes('x', 0xFF))).isEqualTo(1);
    }

    @Test
    void hashSeparatesFieldBoundariesAndIsStable() {
        assertThat(RowHash.of("ab", "c")).isNotEqualTo(RowHash.of("a", "bc"));
        assertThat(RowHash.of("hello")).isEqualTo(RowHash.of(new StringBuilder("hello")));
        assertThat(RowHash.of("hello")).isNotEqualTo(RowHash.of("hellp"));
        assertThat(RowHash.of("")).isNotEqualTo(RowHash.of(" "));
    }

    @Test
    void normalizeFoldsCaseAndWhitespace() {
        assertThat(Dedup.normalize("  Hello \t\n  World  ")).isEqualTo("hello world");
        assertThat(Dedup.normalize("")).isEmpty();
    }
}
