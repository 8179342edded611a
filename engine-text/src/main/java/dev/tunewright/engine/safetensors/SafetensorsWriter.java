package dev.tunewright.engine.safetensors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a safetensors file in memory order of {@link #add} calls. Writing goes through a temporary
 * file in the target directory and an atomic rename, so a reader (or a crash) never sees half an
 * adapter.
 */
public final class SafetensorsWriter {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private record Entry(String name, DType dtype, long[] shape, float[] floats, ByteBuffer raw) {
        long byteLength() {
            return raw != null ? raw.remaining() : (long) floats.length * dtype.byteSize();
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    /** Adds a tensor from float32 data, rounding to F16/BF16 (round-to-nearest-even) when asked. */
    public SafetensorsWriter add(String name, DType dtype, long[] shape, float[] data) {
        checkName(name);
        long count = elementCount(name, shape);
        if (count != data.length) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape)
                    + " holds " + count + " elements but " + data.length + " were given");
        }
        entries.add(new Entry(name, dtype, shape.clone(), data, null));
        return this;
    }

    /** Adds a tensor from its little-endian bytes as stored on disk (copying a tensor without decoding it). */
    public SafetensorsWriter addRaw(String name, DType dtype, long[] shape, ByteBuffer littleEndianBytes) {
        checkName(name);
        long expected = Math.multiplyExact(elementCount(name, shape), dtype.byteSize());
        if (expected != littleEndianBytes.remaining()) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape) + " of " + dtype
                    + " needs " + expected + " bytes but " + littleEndianBytes.remaining() + " were given");
        }
        entries.add(new Entry(name, dtype, shape.clone(), null, littleEndianBytes.duplicate()));
        return this;
    }

    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    public void write(Path file) throws IOException {
        byte[] header = header();
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).flip();
                writeFully(ch, len);
                writeFully(ch, ByteBuffer.wrap(header));
                for (Entry e : entries) {
                    writeFully(ch, e.raw != null ? e.raw.duplicate() : encode(e));
                }
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** JSON header padded with spaces to a multiple of 8 so the data area stays aligned. */
    private byte[] header() throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(HeaderParser.METADATA_KEY);
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Entry e : entries) {
            ObjectNode t = root.putObject(e.name);
            t.put("dtype", e.dtype.name());
            var shape = t.putArray("shape");
            for (long d : e.shape) {
                shape.add(d);
            }
            long end = offset + e.byteLength();
            t.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = MAPPER.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    private static ByteBuffer encode(Entry e) {
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(e.byteLength())).order(ByteOrder.LITTLE_ENDIAN);
        switch (e.dtype) {
            case F32 -> buf.asFloatBuffer().put(e.floats);
            case F16 -> {
                for (float f : e.floats) {
                    buf.putShort(HalfFloats.floatToF16(f));
                }
            }
            case BF16 -> {
                for (float f : e.floats) {
                    buf.putShort(HalfFloats.floatToBf16(f));
                }
            }
        }
        buf.position(0);
        return buf;
    }

    private void checkName(String name) {
        if (name.equals(HeaderParser.METADATA_KEY)) {
            throw new IllegalArgumentException("'" + name + "' is reserved for metadata");
        }
        for (Entry e : entries) {
            if (e.name.equals(name)) {
                throw new IllegalArgumentException("tensor '" + name + "' added twice");
            }
        }
    }

    private static long elementCount(String name, long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor '" + name + "': negative dimension in " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }
}
