package dev.tunewright.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The one place token ids turn into int64. Ids are {@code int} from the tokenizer to the model, as tokenizers and
 * the row contract give them, but torch's embedding lookup and gather index with int64 only; widening here, where
 * the index array is made, keeps one id type in Java and the tensors torch sees exactly as before.
 */
public final class TokenIds {

    private TokenIds() {}

    /** (B, T) int64 index of equal-length rows, in {@code manager}. */
    public static NDArray index(NDManager manager, int[][] rows) {
        int steps = rows[0].length;
        long[] flat = new long[rows.length * steps];
        for (int b = 0; b < rows.length; b++) {
            for (int t = 0; t < steps; t++) {
                flat[b * steps + t] = rows[b][t];
            }
        }
        return manager.create(flat, new Shape(rows.length, steps));
    }

    /** An int64 index of {@code ids} in {@code shape}, in {@code manager}. */
    public static NDArray index(NDManager manager, int[] ids, Shape shape) {
        long[] wide = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            wide[i] = ids[i];
        }
        return manager.create(wide, shape);
    }
}
