package dev.tunewright.dataset.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultipartStreamTest {

    private static final String BOUNDARY = "----tunewright7MA4YWxkTrZu0gW";

    /** A part as read: name, file name and content. */
    private record Read(String name, String filename, byte[] content) {
    }

    private static List<Read> read(byte[] body, String boundary, Random trickle) throws IOException {
        InputStream in = trickle == null ? new ByteArrayInputStream(body) : new ByteArrayInputStream(body) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1 + trickle.nextInt(97)));
            }
        };
        MultipartStream form = new MultipartStream(in, boundary);
        List<Read> parts = new ArrayList<>();
        for (MultipartStream.Part part = form.next(); part != null; part = form.next()) {
            parts.add(new Read(part.name(), part.filename(), part.content().readAllBytes()));
        }
        assertThat(form.next()).isNull();
        return parts;
    }

    private static byte[] body(String preamble, Object... nameHeaderContent) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(preamble.getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < nameHeaderContent.length; i += 2) {
            body.writeBytes(("--" + BOUNDARY + "\r\n" + nameHeaderContent[i] + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            Object content = nameHeaderContent[i + 1];
            body.writeBytes(content instanceof byte[] bytes ? bytes : content.toString().getBytes(StandardCharsets.UTF_8));
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    @Test
    void readsFieldsAndFilesInAnyOrderWithTheirExactBytes() throws IOException {
        String jsonl = "{\"prompt\":\"a\",\"completion\":\"b\"}\r\n{\"prompt\":\"--" + BOUNDARY + "\",\"completion\":\"\\r\"}\n\r";
        byte[] body = body("preamble to ignore\r\n",
                "Content-Disposition: form-data; name=\"purpose\"", "fine-tune",
                "Content-Disposition: form-data; name=\"file\"; filename=\"my \\\"data\\\" ü.jsonl\"\r\nContent-Type: application/jsonl",
                jsonl,
                "content-disposition: form-data; name=skip_invalid", "true",
                "Content-Disposition: form-data; name=\"empty\"", "");
        for (Random trickle : new Random[] {null, new Random(1)}) {
            List<Read> parts = read(body, BOUNDARY, trickle);
            assertThat(parts).extracting(Read::name).containsExactly("purpose", "file", "skip_invalid", "empty");
            assertThat(parts.get(1).filename()).isEqualTo("my \"data\" ü.jsonl");
            assertThat(parts.get(0).filename()).isNull();
            assertThat(new String(parts.get(0).content(), StandardCharsets.UTF_8)).isEqualTo("fine-tune");
            assertThat(new String(parts.get(1).content(), StandardCharsets.UTF_8)).isEqualTo(jsonl);
            assertThat(new String(parts.get(2).content(), StandardCharsets.UTF_8)).isEqualTo("true");
            assertThat(parts.get(3).content()).isEmpty();
        }
    }

    @Test
    void binaryContentFullOfNearBoundariesSurvivesEveryReadSize() throws IOException {
        Random random = new Random(3);
        byte[] alphabet = ("\r\n-" + BOUNDARY.substring(0, 8)).getBytes(StandardCharsets.US_ASCII);
        byte[] content = new byte[300_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = random.nextInt(4) == 0 ? (byte) random.nextInt(256) : alphabet[random.nextInt(alphabet.length)];
        }
        byte[] nearMiss = ("\r\n--" + BOUNDARY.substring(0, BOUNDARY.length() - 1) + "X").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(nearMiss, 0, content, 65_530, nearMiss.length);
        System.arraycopy(nearMiss, 0, content, content.length - nearMiss.length, nearMiss.length);
        byte[] body = body("", "Content-Disposition: form-data; name=\"file\"; filename=\"x.bin\"", content);
        for (Random trickle : new Random[] {null, new Random(4)}) {
            assertThat(read(body, BOUNDARY, trickle).get(0).content()).isEqualTo(content);
        }
    }

    @Test
    void theBoundaryComesFromTheContentTypeQuotedOrNot() {
        assertThat(MultipartStream.boundary("multipart/form-data; boundary=abc")).isEqualTo("abc");
        assertThat(MultipartStream.boundary("multipart/form-data;boundary=\"a b;c\"; charset=utf-8")).isEqualTo("a b;c");
        assertThat(MultipartStream.boundary("multipart/form-data; charset=utf-8")).isNull();
        assertThat(MultipartStream.boundary("multipart/form-data; boundary=")).isEmpty();
        assertThat(MultipartStream.boundary(null)).isNull();
    }

    @Test
    void paddingAfterABoundaryAndAPartLeftUnreadAreFine() throws IOException {
        byte[] body = ("--" + BOUNDARY + " \t\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nskipped\r\n--" + BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\nread\r\n--" + BOUNDARY + "--").getBytes(StandardCharsets.UTF_8);
        MultipartStream form = new MultipartStream(new ByteArrayInputStream(body), BOUNDARY);
        assertThat(form.next().name()).isEqualTo("a");
        MultipartStream.Part b = form.next();
        assertThat(b.text(100)).isEqualTo("read");
        assertThat(form.next()).isNull();
    }

    @Test
    void malformedBodiesAreRefusedWithAReason() {
        String file = "Content-Disposition: form-data; name=\"file\"; filename=\"a\"";
        byte[] good = body("", file, "x");
        assertThatThrownBy(() -> read(java.util.Arrays.copyOf(good, good.length - 8), BOUNDARY, null))
                .isInstanceOf(MultipartStream.MalformedException.class).hasMessageContaining("ended before its closing boundary");
        assertThatThrownBy(() -> read(body("", "Content-Type: text/plain", "x"), BOUNDARY, null))
                .isInstanceOf(MultipartStream.MalformedException.class).hasMessageContaining("Content-Disposition");
        assertThatThrownBy(() -> read(body("", file + "\r\nContent-Transfer-Encoding: base64", "eA=="), BOUNDARY, null))
                .isInstanceOf(MultipartStream.MalformedException.class).hasMessageContaining("base64");
        assertThatThrownBy(() -> read(body("", "X-Long: " + "h".repeat(20_000), "x"), BOUNDARY, null))
                .isInstanceOf(MultipartStream.MalformedException.class).hasMessageContaining("longer than");
        assertThatThrownBy(() -> read(body("", file, "x"), null, null))
                .isInstanceOf(MultipartStream.MalformedException.class).hasMessageContaining("boundary");
        assertThatThrownBy(() -> read(("--" + BOUNDARY + "junk").getBytes(StandardCharsets.UTF_8), BOUNDARY, null))
                .isInstanceOf(MultipartStream.MalformedException.class).hasMessageContaining("end its line");
        assertThatThrownBy(() -> new MultipartStream(new ByteArrayInputStream(body("", "Content-Disposition: form-data; "
                + "name=\"purpose\"", "x".repeat(2000))), BOUNDARY).next().text(1024))
                .isInstanceOf(MultipartStream.MalformedException.class).hasMessageContaining("'purpose' is longer than 1024");
    }
}
