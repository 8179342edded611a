package dev.tunewright.engine.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The order sequences are trained in: a fresh shuffle each epoch, drawn from the seed and the epoch number
 * alone. The whole position is therefore (epoch, cursor), two integers a checkpoint stores, and a resumed
 * run walks the same order without replaying a random stream. A step never spans two epochs; the last
 * step of an epoch takes what is left.
 */
public final class DataOrder {

    private final int size;
    private final long seed;
    private int epoch;
    private int cursor;
    private int[] permutation;

    /**
     * @param epoch 0-based epoch of the next sequence
     * @param cursor index of the next sequence within that epoch's order
     */
    public DataOrder(int size, long seed, int epoch, int cursor) {
        if (size <= 0) {
            throw new IllegalArgumentException("no training sequences");
        }
        if (cursor < 0 || cursor >= size || epoch < 0) {
            throw new IllegalArgumentException("data position (epoch " + epoch + ", cursor " + cursor
                    + ") is outside " + size + " sequences");
        }
        this.size = size;
        this.seed = seed;
        this.epoch = epoch;
        this.cursor = cursor;
    }

    /** Fisher–Yates over 0..size-1 from a generator keyed by seed and epoch. */
    public static int[] permutation(int size, long seed, int epoch) {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }

    /** The next optimizer step's micro-batches of sequence indices; moves the position past them. */
    public List<int[]> nextStep(int microBatchSize, int accumulation) {
        if (permutation == null) {
            permutation = permutation(size, seed, epoch);
        }
        List<int[]> out = new ArrayList<>(accumulation);
        for (int k = 0; k < accumulation && cursor < size; k++) {
            int n = Math.min(microBatchSize, size - cursor);
            int[] batch = new int[n];
            System.arraycopy(permutation, cursor, batch, 0, n);
            cursor += n;
            out.add(batch);
        }
        if (cursor == size) {
            epoch++;
            cursor = 0;
            permutation = null;
        }
        return out;
    }

    public int epoch() {
        return epoch;
    }

    public int cursor() {
        return cursor;
    }
}
