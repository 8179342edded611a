package dev.tunewright.engine.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * A validated, memory-mapped safetensors file. The header is checked completely before any offset
 * in it is used (see {@link HeaderParser}); tensor data is mapped lazily per read, so opening a
 * multi-gigabyte shard costs one header read.
 */
public final class SafetensorsFile implements AutoCloseable {

    /** Default bound on the JSON header: large enough for any real checkpoint, small enough to refuse junk. */
    public static final long DEFAULT_MAX_HEADER_BYTES = 100L * 1024 * 1024;

    private final Path file;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path file, FileChannel channel, long dataStart, HeaderParser.Header header) {
        this.file = file;
        this.channel = channel;
        this.dataStart = dataStart;
        this.tensors = header.tensors();
        this.metadata = header.metadata();
    }

    public static SafetensorsFile open(Path file) throws SafetensorsException {
        return open(file, DEFAULT_MAX_HEADER_BYTES);
    }

    public static SafetensorsFile open(Path file, long maxHeaderBytes) throws SafetensorsException {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new SafetensorsException(file, null, "cannot open: " + e, e);
        }
        try {
            long size = ch.size();
            if (size < 8) {
                throw new SafetensorsException(file, null, "file is " + size + " bytes, shorter than the 8-byte header length");
            }
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, len, 0);
            long headerLen = len.flip().getLong();
            if (headerLen < 0 || headerLen > maxHeaderBytes) {
                throw new SafetensorsException(file, null, "header length " + Long.toUnsignedString(headerLen)
                        + " exceeds the limit of " + maxHeaderBytes + " bytes");
            }
            if (headerLen > size - 8) {
                throw new SafetensorsException(file, null, "header length " + headerLen + " runs past the end of the "
                        + size + "-byte file");
            }
            ByteBuffer json = ByteBuffer.allocate((int) headerLen);
            readFully(ch, json, 8);
            long dataStart = 8 + headerLen;
            HeaderParser.Header header = new HeaderParser(file, size - dataStart).parse(json.array());
            return new SafetensorsFile(file, ch, dataStart, header);
        } catch (SafetensorsException e) {
            closeQuietly(ch, e);
            throw e;
        } catch (IOException | RuntimeException e) {
            SafetensorsException wrapped = new SafetensorsException(file, null, "cannot read header: " + e, e);
            closeQuietly(ch, wrapped);
            throw wrapped;
        }
    }

    public Path path() {
        return file;
    }

    /** Tensors in header order, unmodifiable. */
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    /** The {@code __metadata__} string map (empty when absent), unmodifiable. */
    public Map<String, String> metadata() {
        return metadata;
    }

    public TensorInfo info(String name) throws SafetensorsException {
        TensorInfo t = tensors.get(name);
        if (t == null) {
            throw new SafetensorsException(file, name, "no such tensor");
        }
        return t;
    }

    /** Little-endian read-only view of the tensor's bytes, memory-mapped. */
    public ByteBuffer rawBytes(String name) throws SafetensorsException {
        TensorInfo t = info(name);
        if (t.byteLength() > Integer.MAX_VALUE) {
            throw new SafetensorsException(file, name, "tensor of " + t.byteLength() + " bytes is too large to map at once");
        }
        try {
            return channel.map(FileChannel.MapMode.READ_ONLY, dataStart + t.begin(), t.byteLength())
                    .asReadOnlyBuffer()
                    .order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new SafetensorsException(file, name, "cannot map data: " + e, e);
        }
    }

    /** The tensor as float32; F16 and BF16 are widened exactly. */
    public float[] readFloats(String name) throws SafetensorsException {
        TensorInfo t = info(name);
        long count = t.elementCount();
        if (count > Integer.MAX_VALUE - 8) {
            throw new SafetensorsException(file, name, count + " elements do not fit in one Java array");
        }
        ByteBuffer bytes = rawBytes(name);
        float[] out = new float[(int) count];
        switch (t.dtype()) {
            case F32 -> bytes.asFloatBuffer().get(out);
            case F16 -> {
                var shorts = bytes.asShortBuffer();
                for (int i = 0; i < out.length; i++) {
                    out[i] = HalfFloats.f16ToFloat(shorts.get(i));
                }
            }
            case BF16 -> {
                var shorts = bytes.asShortBuffer();
                for (int i = 0; i < out.length; i++) {
                    out[i] = HalfFloats.bf16ToFloat(shorts.get(i));
                }
            }
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file at " + pos);
            }
            pos += n;
        }
    }

    private static void closeQuietly(FileChannel ch, Exception primary) {
        try {
            ch.close();
        } catch (IOException e) {
            primary.addSuppressed(e);
        }
    }
}
