package dev.tunewright.engine.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsRoundTripTest {

    @TempDir
    Path dir;

    @Test
    void writesAndReadsAllDtypesWithMetadata() throws Exception {
        Path file = dir.resolve("m.safetensors");
        float[] a = {1f, -2.5f, 3.25f, 0f, 65504f, -0f};
        new SafetensorsWriter()
                .add("a.f32", DType.F32, new long[] {2, 3}, a)
                .add("a.f16", DType.F16, new long[] {6}, a)
                .add("a.bf16", DType.BF16, new long[] {3, 2}, a)
                .add("empty", DType.F32, new long[] {0, 4}, new float[0])
                .metadata("format", "pt")
                .write(file);
        assertThat(Files.size(file) - 8 - (Files.size(file) - 8 - (6 * 4 + 6 * 2 + 6 * 2))).isEqualTo(48);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertThat(f.tensors()).containsOnlyKeys("a.f32", "a.f16", "a.bf16", "empty");
            assertThat(f.metadata()).containsEntry("format", "pt");
            assertThat(f.tensors().get("a.bf16").shape()).containsExactly(3, 2);
            assertThat(f.tensors().get("a.bf16").dtype()).isEqualTo(DType.BF16);
            assertThat(f.readFloats("a.f32")).containsExactly(a);
            assertThat(f.readFloats("a.f16")).containsExactly(a);
            assertThat(f.readFloats("a.bf16")).containsExactly(1f, -2.5f, 3.25f, 0f, 65536f, -0f);
            assertThat(f.readFloats("empty")).isEmpty();
            var raw = f.rawBytes("a.f16");
            assertThat(raw.isReadOnly()).isTrue();
            assertThat(raw.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
            assertThat(raw.remaining()).isEqualTo(12);
            assertThat(raw.getShort(0)).isEqualTo((short) 0x3C00);
            assertThatThrownBy(() -> f.readFloats("nope"))
                    .isInstanceOf(SafetensorsException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("'nope'");
        }
        try (var s = Files.list(dir)) {
            assertThat(s).containsExactly(file);
        }
    }

    @Test
    void headerIsPaddedToEightBytes() throws Exception {
        Path file = dir.resolve("p.safetensors");
        new SafetensorsWriter().add("x", DType.F32, new long[] {1}, new float[] {1}).write(file);
        byte[] bytes = Files.readAllBytes(file);
        long headerLen = java.nio.ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(headerLen % 8).isZero();
    }

    @Test
    void writerRejectsWrongElementCountAndDuplicates() {
        var w = new SafetensorsWriter().add("x", DType.F32, new long[] {2}, new float[2]);
        assertThatThrownBy(() -> w.add("x", DType.F32, new long[] {2}, new float[2])).hasMessageContaining("'x'");
        assertThatThrownBy(() -> w.add("y", DType.F32, new long[] {3}, new float[2])).hasMessageContaining("'y'");
    }

    @Test
    void addRawCopiesBytesUnchanged() throws Exception {
        Path src = dir.resolve("src.safetensors");
        Path dst = dir.resolve("dst.safetensors");
        new SafetensorsWriter().add("w", DType.BF16, new long[] {2}, new float[] {1.5f, -3f}).write(src);
        try (SafetensorsFile f = SafetensorsFile.open(src)) {
            new SafetensorsWriter().addRaw("w", DType.BF16, new long[] {2}, f.rawBytes("w")).write(dst);
        }
        try (SafetensorsFile f = SafetensorsFile.open(dst)) {
            assertThat(f.readFloats("w")).containsExactly(1.5f, -3f);
        }
    }
}
