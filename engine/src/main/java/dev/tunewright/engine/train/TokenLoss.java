package dev.tunewright.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tunewright.engine.data.TokenizedExample;

/**
 * Next-token cross-entropy over the trained labels only. It returns the sum, not the mean: the trainer
 * divides by the trainable tokens of the whole accumulated batch, so every trained token weighs the same
 * however the tokens fall into sequences and micro-batches (a mean per micro-batch would overweight
 * short replies). Only the rows of trained positions go through log-softmax, which with a real
 * vocabulary is most of the loss's memory.
 */
public final class TokenLoss {

    private TokenLoss() {}

    /** The positions (row-major over (B, T)) whose logits predict a trained label, and those labels. */
    record Targets(long[] rows, long[] labels) {
        int count() {
            return rows.length;
        }
    }

    /** Logits at t predict labels[t + 1]. */
    static Targets targets(int[][] labels) {
        int length = labels[0].length;
        int count = 0;
        for (int[] row : labels) {
            for (int t = 1; t < length; t++) {
                count += row[t] == TokenizedExample.IGNORE ? 0 : 1;
            }
        }
        long[] rows = new long[count];
        long[] targets = new long[count];
        int i = 0;
        for (int b = 0; b < labels.length; b++) {
            for (int t = 1; t < length; t++) {
                if (labels[b][t] != TokenizedExample.IGNORE) {
                    rows[i] = (long) b * length + t - 1;
                    targets[i++] = labels[b][t];
                }
            }
        }
        return new Targets(rows, targets);
    }

    /**
     * Σ -ln p(label) over trained labels, a scalar on the autograd tape when called in a gradient collector.
     *
     * @param logits (B, T, V)
     * @param labels (B, T), {@link TokenizedExample#IGNORE} where not trained
     */
    public static NDArray sum(NDManager scope, NDArray logits, int[][] labels) {
        Targets t = targets(labels);
        if (t.count() == 0) {
            return scope.zeros(new Shape());
        }
        NDArray logProbs = picked(scope, logits, t).logSoftmax(-1);
        NDArray index = scope.create(t.labels(), new Shape(t.count(), 1));
        return logProbs.gather(index, -1).sum().neg();
    }

    /** Trained labels that are the logits' argmax: greedy decoding's hits, for mean token accuracy. */
    public static int correct(NDManager scope, NDArray logits, int[][] labels) {
        Targets t = targets(labels);
        if (t.count() == 0) {
            return 0;
        }
        long[] predicted = picked(scope, logits, t).argMax(-1).toLongArray();
        int hits = 0;
        for (int i = 0; i < predicted.length; i++) {
            hits += predicted[i] == t.labels()[i] ? 1 : 0;
        }
        return hits;
    }

    /** (N, V) logits of the trained positions. */
    private static NDArray picked(NDManager scope, NDArray logits, Targets t) {
        Shape s = logits.getShape();
        NDArray flat = logits.reshape(s.get(0) * s.get(1), s.get(2));
        return flat.get(scope.create(t.rows()));
    }
}
