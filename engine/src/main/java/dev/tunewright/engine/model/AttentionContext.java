package dev.tunewright.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.HashMap;
import java.util.Map;

/**
 * What every layer of one forward call shares: rope tables for the positions and the additive
 * attention masks. Built once per call, in the call's manager, because they depend only on the
 * attention mask and the cache length, not on the layer.
 *
 * <p>Masked scores get a large finite negative instead of -inf so a query with nothing to attend to
 * (a left-pad row) yields a uniform softmax rather than NaN, the same trick as HF's finfo.min masks.
 */
public final class AttentionContext {

    static final float MASKED = -1e30f;

    private final NDArray cos; // (B, 1, T, headDim)
    private final NDArray sin; // (B, 1, T, headDim)
    private final Map<Integer, NDArray> masks = new HashMap<>(); // window (0 = none) -> (B, 1, T, S)
    private final NDManager manager;
    private final long[][] keyMask;
    private final int[][] segments; // (B, T) packed training batches, else null
    private final int past;
    private final int steps;

    private AttentionContext(NDManager manager, NDList rope, long[][] keyMask, int[][] segments, int past, int steps) {
        this.manager = manager;
        this.cos = rope.get(0);
        this.sin = rope.get(1);
        this.keyMask = keyMask;
        this.segments = segments;
        this.past = past;
        this.steps = steps;
    }

    /**
     * @param attentionMask (B, past + T) with 1 for real tokens and 0 for padding, or null for no padding
     * @param past tokens already in the KV cache
     */
    public static AttentionContext create(NDManager manager, Rope rope, long[][] attentionMask, int batch, int past,
                                          int steps, DataType dtype) {
        long[][] positions = positions(attentionMask, batch, past, steps);
        return new AttentionContext(manager, rope.tables(manager, positions, dtype), attentionMask, null, past, steps);
    }

    /**
     * A packed or padded training batch (no cache): positions as given, so each packed example starts at 0,
     * and a query sees only earlier keys of its own segment. Segment 0 is padding and sees only itself, so
     * padding never reaches a real token and no softmax row is empty.
     *
     * @param positionIds (B, T) rope positions
     * @param segmentIds (B, T) example number within the row, from 1; 0 for padding
     */
    public static AttentionContext packed(NDManager manager, Rope rope, long[][] positionIds, int[][] segmentIds,
                                          DataType dtype) {
        return new AttentionContext(manager, rope.tables(manager, positionIds, dtype), null, segmentIds, 0,
                positionIds[0].length);
    }

    /**
     * HF's position ids: cumsum(mask) - 1 over the whole sequence, padding set to 1, then the last T
     * columns, so a left-padded prompt still starts at position 0.
     */
    public static long[][] positions(long[][] attentionMask, int batch, int past, int steps) {
        long[][] out = new long[batch][steps];
        for (int b = 0; b < batch; b++) {
            long running = 0;
            for (int j = 0; j < past + steps; j++) {
                long position;
                if (attentionMask == null) {
                    position = j;
                } else {
                    running += attentionMask[b][j];
                    position = attentionMask[b][j] == 0 ? 1 : running - 1;
                }
                if (j >= past) {
                    out[b][j - past] = position;
                }
            }
        }
        return out;
    }

    public NDArray cos() {
        return cos;
    }

    public NDArray sin() {
        return sin;
    }

    /**
     * (B, 1, T, S) additive mask: 0 where query i (= past + t) may see key j, i.e. j ≤ i, key j is not
     * padding, and i - j < window for sliding layers; {@link #MASKED} elsewhere.
     */
    public NDArray mask(Integer window) {
        return masks.computeIfAbsent(window == null ? 0 : window, this::buildMask);
    }

    private NDArray buildMask(int window) {
        int batch = (int) cos.getShape().get(0);
        int keys = past + steps;
        float[] bias = new float[batch * steps * keys];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                int query = past + t;
                int row = (b * steps + t) * keys;
                for (int j = 0; j < keys; j++) {
                    boolean visible = j <= query
                            && (keyMask == null || keyMask[b][j] != 0)
                            && (segments == null || sameSegment(segments[b], query, j))
                            && (window == 0 || query - j < window);
                    bias[row + j] = visible ? 0f : MASKED;
                }
            }
        }
        return manager.create(bias, new Shape(batch, 1, steps, keys));
    }

    private static boolean sameSegment(int[] segments, int query, int key) {
        return segments[query] == segments[key] && (segments[query] != 0 || key == query);
    }
}
