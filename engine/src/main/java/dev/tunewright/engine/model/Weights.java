package dev.tunewright.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tunewright.engine.safetensors.TensorInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Loads HF-named tensors into the model's manager, on its device and dtype, checking each shape
 * against what the config implies, so a mismatched checkpoint fails at load naming the tensor instead
 * of producing garbage later.
 */
public final class Weights {

    /** Where tensors come from: a model folder's weight store, single-file or sharded. */
    public interface Source {
        /** The tensor's header entry, or null when the checkpoint has no such tensor. */
        TensorInfo info(String name) throws IOException;

        float[] readFloats(String name) throws IOException;
    }

    private final Source source;
    private final NDManager manager;
    private final DataType dtype;
    private final WeightPacker packer;

    public Weights(Source source, NDManager manager, DataType dtype) {
        this(source, manager, dtype, null);
    }

    /** As above, with linear weights offered to {@code packer} (may be null) before any float copy is made. */
    public Weights(Source source, NDManager manager, DataType dtype, WeightPacker packer) {
        this.source = source;
        this.manager = manager;
        this.dtype = dtype;
        this.packer = packer;
    }

    public DataType dtype() {
        return dtype;
    }

    public boolean contains(String name) {
        try {
            return source.info(name) != null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tensor in the model dtype; {@code expected} is the shape the config implies. */
    public NDArray get(String name, long... expected) {
        NDArray loaded = load(name, expected);
        if (loaded.getDataType() == dtype) {
            return loaded;
        }
        // keep only the model-dtype copy on the device
        NDArray converted = loaded.toType(dtype, false);
        loaded.close();
        return converted;
    }

    /** The float32 tensor with 1 added, computed in float32 like Gemma's (1 + weight.float()). */
    public NDArray getPlusOne(String name, long... expected) {
        float[] values = read(name, expected);
        for (int i = 0; i < values.length; i++) {
            values[i] += 1f;
        }
        return manager.create(values, new Shape(expected));
    }

    /** {@code module}.weight (out, in) and, with {@code bias}, {@code module}.bias (out). */
    public Linear linear(String module, long out, long in, boolean bias) {
        NDArray b = bias ? get(module + ".bias", out) : null;
        if (packer != null && packer.packs(module)) {
            float[] values = read(module + ".weight", new long[] {out, in});
            return new Linear(module, packer.pack(module, values, out, in, manager), b, out, in);
        }
        return new Linear(module, get(module + ".weight", out, in), b);
    }

    private NDArray load(String name, long[] expected) {
        return manager.create(read(name, expected), new Shape(expected));
    }

    private float[] read(String name, long[] expected) {
        try {
            TensorInfo info = source.info(name);
            if (info == null) {
                throw new UnsupportedModelException("weight '" + name + "' is missing from the model folder");
            }
            if (!Arrays.equals(info.shape(), expected)) {
                throw new UnsupportedModelException("weight '" + name + "' has shape " + Arrays.toString(info.shape())
                        + " but config.json implies " + Arrays.toString(expected));
            }
            return source.readFloats(name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read weight '" + name + "': " + e.getMessage(), e);
        }
    }
}
