package dev.tunewright.dataset.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteSearchTest {

    private static int naive(byte[] bytes, int from, int to, byte value) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == value) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void findsTheFirstOccurrenceInEveryRange() {
        Random random = new Random(12);
        byte[] values = {'\n', '\r', 0, 1, (byte) 0x80, (byte) 0xFF, 0x7F};
        for (int trial = 0; trial < 3_000; trial++) {
            byte[] bytes = new byte[random.nextInt(40)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = random.nextInt(3) == 0 ? values[random.nextInt(values.length)] : (byte) random.nextInt(256);
            }
            int from = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
            int to = from + random.nextInt(bytes.length - from + 1);
            for (byte value : values) {
                assertThat(ByteSearch.indexOf(bytes, from, to, value)).isEqualTo(naive(bytes, from, to, value));
            }
        }
    }
}
