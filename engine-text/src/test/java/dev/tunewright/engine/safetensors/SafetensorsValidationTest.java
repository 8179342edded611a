package dev.tunewright.engine.safetensors;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per rule the header must satisfy; each message must name the file and, where there is one, the tensor. */
class SafetensorsValidationTest {

    @TempDir
    Path dir;

    private Path file(String json, int dataBytes) throws Exception {
        return raw(json.getBytes(StandardCharsets.UTF_8).length, json, dataBytes);
    }

    private Path raw(long declaredHeaderLength, String json, int dataBytes) throws Exception {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(declaredHeaderLength).put(h);
        Path p = Files.createTempFile(dir, "bad", ".safetensors");
        Files.write(p, b.array());
        return p;
    }

    private AbstractThrowableAssert<?, ?> rejects(Path p) {
        return assertThatThrownBy(() -> SafetensorsFile.open(p).close())
                .isInstanceOf(SafetensorsException.class)
                .hasMessageContaining(p.toString());
    }

    @Test
    void tooShortFile() throws Exception {
        Path p = dir.resolve("short.safetensors");
        Files.write(p, new byte[3]);
        rejects(p).hasMessageContaining("shorter");
    }

    @Test
    void headerLengthOverLimit() throws Exception {
        rejects(raw(200L * 1024 * 1024, "{}", 0)).hasMessageContaining("exceeds the limit");
        Path p = file("{}", 0);
        assertThatThrownBy(() -> SafetensorsFile.open(p, 1)).hasMessageContaining("exceeds the limit of 1 bytes");
    }

    @Test
    void negativeHeaderLength() throws Exception {
        rejects(raw(-1, "{}", 0)).hasMessageContaining("exceeds the limit");
    }

    @Test
    void headerLengthPastEndOfFile() throws Exception {
        rejects(raw(100, "{}", 0)).hasMessageContaining("past the end");
    }

    @Test
    void malformedJson() throws Exception {
        rejects(file("{\"a\": {", 0)).hasMessageContaining("not well-formed JSON");
    }

    @Test
    void headerNotAnObject() throws Exception {
        rejects(file("[1, 2]", 0)).hasMessageContaining("not a JSON object");
    }

    @Test
    void trailingContent() throws Exception {
        rejects(file("{} {}", 0)).hasMessageContaining("trailing");
    }

    @Test
    void metadataMustBeStrings() throws Exception {
        rejects(file("{\"__metadata__\": {\"k\": 1}}", 0)).hasMessageContaining("__metadata__").hasMessageContaining("'k'");
        rejects(file("{\"__metadata__\": [\"k\"]}", 0)).hasMessageContaining("__metadata__");
    }

    @Test
    void unsupportedDtypeNamed() throws Exception {
        rejects(file("{\"ids\": {\"dtype\": \"I64\", \"shape\": [1], \"data_offsets\": [0, 8]}}", 8))
                .hasMessageContaining("'ids'")
                .hasMessageContaining("I64 is not supported");
    }

    @Test
    void missingFields() throws Exception {
        rejects(file("{\"w\": {\"shape\": [1], \"data_offsets\": [0, 4]}}", 4)).hasMessageContaining("'w'").hasMessageContaining("dtype");
        rejects(file("{\"w\": {\"dtype\": \"F32\", \"data_offsets\": [0, 4]}}", 4)).hasMessageContaining("'w'").hasMessageContaining("shape");
        rejects(file("{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0]}}", 4))
                .hasMessageContaining("'w'").hasMessageContaining("data_offsets");
        rejects(file("{\"w\": 3}", 0)).hasMessageContaining("'w'").hasMessageContaining("not an object");
    }

    @Test
    void negativeOrFractionalNumbers() throws Exception {
        rejects(file("{\"w\": {\"dtype\": \"F32\", \"shape\": [-1], \"data_offsets\": [0, 4]}}", 4)).hasMessageContaining("'w'");
        rejects(file("{\"w\": {\"dtype\": \"F32\", \"shape\": [1.5], \"data_offsets\": [0, 4]}}", 4)).hasMessageContaining("'w'");
    }

    @Test
    void offsetsOutsideDataArea() throws Exception {
        rejects(file("{\"w\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}}", 4))
                .hasMessageContaining("'w'").hasMessageContaining("outside the data area");
    }

    @Test
    void beginAfterEnd() throws Exception {
        rejects(file("{\"w\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 0]}}", 4))
                .hasMessageContaining("'w'").hasMessageContaining("after end");
    }

    @Test
    void overlap() throws Exception {
        rejects(file("{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]},"
                + "\"b\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]}}", 8))
                .hasMessageContaining("'b'").hasMessageContaining("overlaps tensor 'a'");
    }

    @Test
    void hole() throws Exception {
        rejects(file("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]},"
                + "\"b\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [8, 12]}}", 12))
                .hasMessageContaining("'b'").hasMessageContaining("hole of 4 bytes");
    }

    @Test
    void unusedTail() throws Exception {
        rejects(file("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}", 8))
                .hasMessageContaining("'a'").hasMessageContaining("unused bytes");
    }

    @Test
    void shapeDoesNotMatchByteLength() throws Exception {
        rejects(file("{\"a\": {\"dtype\": \"BF16\", \"shape\": [3], \"data_offsets\": [0, 4]}}", 4))
                .hasMessageContaining("'a'").hasMessageContaining("needs 6 bytes");
    }

    @Test
    void shapeProductOverflows() throws Exception {
        rejects(file("{\"a\": {\"dtype\": \"F32\", \"shape\": [4294967296, 4294967296], \"data_offsets\": [0, 4]}}", 4))
                .hasMessageContaining("'a'").hasMessageContaining("overflows");
    }

    @Test
    void duplicateTensorName() throws Exception {
        rejects(file("{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]},"
                + "\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]}}", 8))
                .hasMessageContaining("'a'").hasMessageContaining("duplicate");
    }

    @Test
    void duplicateKeyInsideEntry() throws Exception {
        rejects(file("{\"a\": {\"dtype\": \"F32\", \"dtype\": \"F16\", \"shape\": [1], \"data_offsets\": [0, 4]}}", 4))
                .hasMessageContaining("'a'").hasMessageContaining("duplicate key 'dtype'");
    }
}
