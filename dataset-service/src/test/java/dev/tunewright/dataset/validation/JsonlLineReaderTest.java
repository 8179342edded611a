package dev.tunewright.dataset.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonlLineReaderTest {

    /** Hands out a few bytes per read, so that lines cross every kind of buffer boundary. */
    private static InputStream trickle(byte[] bytes, Random random) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1 + random.nextInt(700)));
            }
        };
    }

    @Test
    void linesAcrossBufferBoundariesKeepTheirBytesOffsetsAndLengths() throws IOException {
        Random random = new Random(2);
        StringBuilder content = new StringBuilder();
        while (content.length() < 400_000) {
            int length = random.nextInt(10) == 0 ? 70_000 + random.nextInt(10_000) : random.nextInt(900);
            for (int i = 0; i < length; i++) {
                content.append((char) ('a' + random.nextInt(26)));
            }
            content.append(random.nextInt(5) == 0 ? "\r\n" : "\n");
        }
        content.append("last line without terminator");
        byte[] bytes = content.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int limit = 75_000;
        for (boolean trickle : new boolean[] {false, true}) {
            JsonlLineReader reader = new JsonlLineReader(trickle ? trickle(bytes, random) : new ByteArrayInputStream(bytes), limit);
            int start = 0;
            long number = 0;
            JsonlLineReader.Line line;
            while ((line = reader.next()) != null) {
                int newline = content.indexOf("\n", start);
                int end = newline < 0 ? bytes.length : newline;
                assertThat(line.number()).isEqualTo(++number);
                assertThat(line.offset()).isEqualTo(start);
                assertThat(line.length()).isEqualTo(end - start);
                int contentEnd = end > start && bytes[end - 1] == '\r' ? end - 1 : end;
                if (end - start > limit) {
                    assertThat(line.tooLong()).isTrue();
                } else {
                    assertThat(Arrays.copyOfRange(line.data(), line.from(), line.to()))
                            .isEqualTo(Arrays.copyOfRange(bytes, start, contentEnd));
                }
                start = end + 1;
            }
            assertThat(reader.position()).isEqualTo(bytes.length);
            assertThat(start).isEqualTo(bytes.length + 1);
        }
    }
}
