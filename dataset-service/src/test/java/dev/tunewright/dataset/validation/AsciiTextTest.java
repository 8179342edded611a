package dev.tunewright.dataset.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AsciiTextTest {

    private static String normalize(String text) {
        byte[] in = text.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[in.length + 8];
        int length = AsciiText.normalize(in, in.length, out);
        return new String(out, 0, length, StandardCharsets.US_ASCII);
    }

    @Test
    void normalisesExactlyAsDedupDoesForEveryMixOfCaseAndWhitespace() {
        Random random = new Random(6);
        String alphabet = "aZ?@[`{~ \t\n\u000B\f\r\u001C\u001D\u001E\u001F\u0000\u0008\u000E\u001B!AMNOPQRSTUVWXYZamz09";
        for (int trial = 0; trial < 20_000; trial++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(trial < 1_000 ? 12 : 90);
            for (int i = 0; i < length; i++) {
                text.append(random.nextInt(3) == 0 ? ' ' : alphabet.charAt(random.nextInt(alphabet.length())));
            }
            assertThat(normalize(text.toString())).as("'%s'", text).isEqualTo(Dedup.normalize(text.toString()));
        }
        for (int c = 0; c < 128; c++) {
            String text = "ab" + (char) c + "cdefgh" + (char) c + (char) c + "ijklmnopq";
            assertThat(normalize(text)).as("character %d", c).isEqualTo(Dedup.normalize(text));
        }
    }

    @Test
    void findsAByteAnywhere() {
        byte[] bytes = new byte[37];
        Arrays.fill(bytes, (byte) 'x');
        for (int i = 0; i < bytes.length; i++) {
            assertThat(AsciiText.contains(bytes, bytes.length, (byte) '?')).isFalse();
            bytes[i] = '?';
            assertThat(AsciiText.contains(bytes, bytes.length, (byte) '?')).as("at %d", i).isTrue();
            assertThat(AsciiText.contains(bytes, i, (byte) '?')).isFalse();
            bytes[i] = 'x';
        }
    }

    @Test
    void loneSurrogatesAndQuestionMarksStayApart() {
        RowKeys.Hasher hasher = new RowKeys.Hasher();
        long question = hasher.keys("a?b", "x").exact();
        long high = hasher.keys("a\uD800b", "x").exact();
        long low = hasher.keys("a\uDC00b", "x").exact();
        assertThat(question).isNotEqualTo(high).isNotEqualTo(low);
        assertThat(high).isNotEqualTo(low);
        assertThat(hasher.keys("a?b", "x").exact()).isEqualTo(RowHash.of("a?b", "x"));
        assertThat(hasher.keys("a\uD800b", "x").exact()).isEqualTo(RowHash.of("a\uD800b", "x"));
    }
}
