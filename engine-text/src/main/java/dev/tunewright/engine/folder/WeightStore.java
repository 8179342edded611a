package dev.tunewright.engine.folder;

import dev.tunewright.engine.safetensors.DType;
import dev.tunewright.engine.safetensors.SafetensorsFile;
import dev.tunewright.engine.safetensors.TensorInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * All tensors of a model, whichever shard holds them. The model code asks by name and never needs
 * to know whether the checkpoint was one file or twenty.
 */
public final class WeightStore implements AutoCloseable {

    private final List<SafetensorsFile> shards;
    private final Map<String, SafetensorsFile> byName;

    WeightStore(List<SafetensorsFile> shards, Map<String, SafetensorsFile> byName) {
        this.shards = List.copyOf(shards);
        this.byName = Collections.unmodifiableMap(new LinkedHashMap<>(byName));
    }

    public Set<String> names() {
        return byName.keySet();
    }

    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    public TensorInfo info(String name) throws ModelFolderException {
        return shard(name).tensors().get(name);
    }

    /** The tensor as float32 (F16/BF16 widened exactly). */
    public float[] readFloats(String name) throws IOException {
        return shard(name).readFloats(name);
    }

    /** Little-endian read-only view of the stored bytes. */
    public ByteBuffer rawBytes(String name) throws IOException {
        return shard(name).rawBytes(name);
    }

    /** Total number of elements over all tensors: the parameter count of the checkpoint. */
    public long parameterCount() {
        long n = 0;
        for (String name : byName.keySet()) {
            n += byName.get(name).tensors().get(name).elementCount();
        }
        return n;
    }

    /** Parameters per stored dtype, e.g. all BF16, or F32 norms next to BF16 matrices. */
    public Map<DType, Long> parametersByDtype() {
        Map<DType, Long> out = new EnumMap<>(DType.class);
        byName.forEach((name, shard) -> {
            TensorInfo t = shard.tensors().get(name);
            out.merge(t.dtype(), t.elementCount(), Long::sum);
        });
        return out;
    }

    public int shardCount() {
        return shards.size();
    }

    private SafetensorsFile shard(String name) throws ModelFolderException {
        SafetensorsFile f = byName.get(name);
        if (f == null) {
            throw new ModelFolderException("no tensor named '" + name + "' in the model weights");
        }
        return f;
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (SafetensorsFile f : shards) {
            try {
                f.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
