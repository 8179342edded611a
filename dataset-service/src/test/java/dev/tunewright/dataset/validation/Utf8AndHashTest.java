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
    void rowKeysAreTheHashesOfTheTextsAndOfTheirNormalisedForms() {
        RowKeys.Hasher hasher = new RowKeys.Hasher();
        String[] texts = {"", " ", "Hello", "  Hello \t\n  World  ", "a\u000Bb\u001Cc\u001Fd", "MiXeD   CaSe text that is longer "
            + "than sixteen characters, TWICE over", "café  Ünïcode", "İstanbul ΣΟΦΙΑ straße", "tab\u2003em\u00A0space", "😀 x",
            "x".repeat(3000)};
        for (String input : texts) {
            for (String output : texts) {
                RowKeys keys = hasher.keys(input, output);
                assertThat(keys.exact()).isEqualTo(RowHash.of(input, output));
                assertThat(keys.normalized()).isEqualTo(RowHash.of(Dedup.normalize(input), Dedup.normalize(output)));
                assertThat(keys.input()).isEqualTo(RowHash.of(Dedup.normalize(input)));
                assertThat(keys.output()).isEqualTo(RowHash.of(output));
            }
        }
    }

    @Test
    void hashDependsOnEveryCharacterAndTheLength() {
        for (int n = 0; n < 40; n++) {
            char[] chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN".toCharArray();
            long whole = RowHash.of(chars, n);
            assertThat(RowHash.of(chars, n + 1)).isNotEqualTo(whole);
            for (int i = 0; i < n; i++) {
                chars[i] ^= 1;
                assertThat(RowHash.of(chars, n)).as("length %d, char %d", n, i).isNotEqualTo(whole);
                chars[i] ^= 1;
            }
        }
    }

    @Test
    void longSetAddsEachKeyOnceAcrossGrowth() {
        LongSet set = new LongSet(4);
        for (long key = -500; key < 500; key++) {
            assertThat(set.add(key * 0x9E3779B97F4A7C15L)).isTrue();
        }
        for (long key = -500; key < 500; key++) {
            assertThat(set.add(key * 0x9E3779B97F4A7C15L)).isFalse();
        }
    }

    @Test
    void normalizeFoldsCaseAndWhitespace() {
        assertThat(Dedup.normalize("  Hello \t\n  World  ")).isEqualTo("hello world");
        assertThat(Dedup.normalize("")).isEmpty();
    }
}
