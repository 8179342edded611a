package dev.tunewright.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tunewright.engine.folder.WeightStore;
import dev.tunewright.engine.safetensors.TensorInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Loads HF-named tensors into the model's manager, on its device and dtype, with the shapes the family's
 * {@link WeightLayout} declares: a mismatched checkpoint fails at load naming the tensor instead of producing
 * garbage later, and a builder that asks for a tensor its layout does not declare (or leaves one unread, see
 * {@link #requireAllRead}) fails at once, so the layout stays the builder's exact list.
 */
public final class Weights {

    /** Where tensors come from: a model folder's weight store, single-file or sharded. */
    public interface Source {
        /** The tensor's header entry, or null when the checkpoint has no such tensor. */
        TensorInfo info(String name) throws IOException;

        float[] readFloats(String name) throws IOException;

        /** The tensors of a model folder's weight store. */
        static Source of(WeightStore store) {
            return new Source() {
                @Override
                public TensorInfo info(String name) throws IOException {
                    return store.contains(name) ? store.info(name) : null;
                }

                @Override
                public float[] readFloats(String name) throws IOException {
                    return store.readFloats(name);
                }
            };
        }
    }

    private final WeightLayout layout;
    private final Source source;
    private final NDManager manager;
    private final DataType dtype;
    private final WeightPacker packer;
    private final Set<String> read = new LinkedHashSet<>();
    private final List<NDArray> created = new ArrayList<>();

    /** With linear weights offered to {@code packer} (may be null) before any float copy is made. */
    public Weights(WeightLayout layout, Source source, NDManager manager, DataType dtype, WeightPacker packer) {
        this.layout = layout;
        this.source = source;
        this.manager = manager;
        this.dtype = dtype;
        this.packer = packer;
    }

    public DataType dtype() {
        return dtype;
    }

    /** Whether the checkpoint itself has {@code name}, declared or not. */
    public boolean contains(String name) {
        try {
            return source.info(name) != null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tensor in the model dtype. */
    public NDArray get(String name) {
        long[] shape = layout.shape(name);
        NDArray loaded = manager.create(read(name, shape), new Shape(shape));
        if (loaded.getDataType() == dtype) {
            return created(loaded);
        }
        // keep only the model-dtype copy on the device
        NDArray converted = Torch.cast(loaded, dtype);
        loaded.close();
        return created(converted);
    }

    /** The float32 tensor with 1 added, computed in float32 like Gemma's (1 + weight.float()). */
    public NDArray getPlusOne(String name) {
        long[] shape = layout.shape(name);
        float[] values = read(name, shape);
        for (int i = 0; i < values.length; i++) {
            values[i] += 1f;
        }
        return created(manager.create(values, new Shape(shape)));
    }

    /** {@code module}.weight (out, in), with {@code module}.bias (out) where the layout declares one. */
    public AdaptableLinear linear(String module) {
        long[] shape = layout.shape(module + ".weight");
        NDArray b = layout.contains(module + ".bias") ? get(module + ".bias") : null;
        if (packer != null && packer.packs(module)) {
            float[] values = read(module + ".weight", shape);
            return new AdaptableLinear(module, packer.pack(module, values, shape[0], shape[1], manager), b, shape[0], shape[1]);
        }
        return new AdaptableLinear(module, get(module + ".weight"), b);
    }

    /**
     * Fails naming the declared tensors no builder call read: the layout would then describe another model than the
     * one built, and the random checkpoints and memory accounting that read it would be wrong.
     */
    public void requireAllRead(String family) {
        List<String> unread = layout.names().stream().filter(n -> !read.contains(n)).toList();
        if (!unread.isEmpty()) {
            throw new IllegalStateException(family + " builder left declared tensors unread: " + unread);
        }
    }

    /** The arrays this loader created (the float weights, norms and biases), in load order. */
    List<NDArray> created() {
        return created;
    }

    private NDArray created(NDArray array) {
        created.add(array);
        return array;
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
            read.add(name);
            return source.readFloats(name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read weight '" + name + "': " + e.getMessage(), e);
        }
    }
}
