package dev.tunewright.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * Keys and values of every layer for the tokens seen so far, so a decoding step only projects the new
 * token. Keys are kept transposed, (B, nKv, headDim, S), so attention multiplies q·kᵀ without a
 * transpose per step. All arrays live in the cache's own manager; replaced ones are closed at once, so
 * memory is exactly the current cache.
 */
public final class KvCache implements AutoCloseable {

    private final NDManager manager;
    private final NDArray[] keysTransposed; // per layer (B, nKv, headDim, S)
    private final NDArray[] values;         // per layer (B, nKv, S, headDim)

    public KvCache(NDManager parent, int layers) {
        this.manager = parent.newSubManager();
        this.keysTransposed = new NDArray[layers];
        this.values = new NDArray[layers];
    }

    /** Tokens already cached (the S of the next call's keys minus its T). */
    public int length() {
        return keysTransposed[0] == null ? 0 : (int) keysTransposed[0].getShape().get(3);
    }

    /**
     * Appends one layer's new keys (B, nKv, headDim, T) and values (B, nKv, T, headDim) and returns the
     * full cached pair; the returned arrays belong to the cache and must not be closed by the caller.
     */
    NDList append(int layer, NDArray newKeysTransposed, NDArray newValues) {
        keysTransposed[layer] = appendAlong(keysTransposed[layer], newKeysTransposed, 3);
        values[layer] = appendAlong(values[layer], newValues, 2);
        return new NDList(keysTransposed[layer], values[layer]);
    }

    private NDArray appendAlong(NDArray cached, NDArray fresh, int axis) {
        if (cached == null) {
            NDArray copy = fresh.duplicate();
            copy.attach(manager);
            return copy;
        }
        // concat allocates in the first operand's manager: the cache's
        NDArray joined = NDArrays.concat(new NDList(cached, fresh), axis);
        cached.close();
        return joined;
    }

    @Override
    public void close() {
        manager.close();
    }
}
