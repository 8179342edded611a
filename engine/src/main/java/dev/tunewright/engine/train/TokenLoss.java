package dev.tunewright.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tunewright.engine.data.TokenizedExample;
import dev.tunewright.engine.model.TokenIds;
import dev.tunewright.engine.model.Torch;

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
    record Targets(long[] rows, int[] labels) {
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
        int[] targets = new int[count];
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
        return sumOfRows(scope, rows(scope, logits, t.rows()), t.labels());
    }

    /** Trained labels that are the logits' argmax: greedy decoding's hits, for mean token accuracy. */
    public static int correct(NDManager scope, NDArray logits, int[][] labels) {
        Targets t = targets(labels);
        return t.count() == 0 ? 0 : hits(rows(scope, logits, t.rows()), t.labels());
    }

    /**
     * Σ -ln p(label) over logits (N, V) with one label per row; differentiable. The index is torch-owned: backward
     * reads it after the scope's Java buffers may be gone.
     */
    static NDArray sumOfRows(NDManager scope, NDArray logits, int[] labels) {
        NDArray index = Torch.owned(TokenIds.index(scope, labels, new Shape(labels.length, 1)));
        return logits.logSoftmax(-1).gather(index, -1).sum().neg();
    }

    /** Σ -ln p(label) over a chunk's rows and the gradient of {@code scale} times it with respect to the logits. */
    record SumAndGradient(float sum, NDArray gradient) {
    }

    /**
     * Σ -ln p(label) over logits (N, V) with one label per row, and the gradient of {@code scale} · Σ with respect to
     * the logits, (softmax - onehot) · scale, both outside autograd and in one (N, V) array of {@code scope}:
     * log-softmax, then e^x, -1 at each label and the scale, in place. Autograd through log-softmax and gather would
     * allocate two more (N, V) arrays (the gather's zero-filled gradient and log-softmax's backward), which with a
     * real vocabulary cost more than the forward itself (docs/benchmarks.md).
     */
    static SumAndGradient sumAndGradient(NDManager scope, NDArray logits, int[] labels, float scale) {
        return Torch.withoutGradients(() -> {
            int rows = labels.length;
            long vocab = logits.getShape().get(1);
            // ln p (N, V); the loss is minus its value at each label
            NDArray gradient = logits.logSoftmax(-1);
            float sum = -gradient.gather(TokenIds.index(scope, labels, new Shape(rows, 1)), -1).sum().getFloat();
            // p, then p - onehot at the labels' flat positions, then the scale
            Torch.expInPlace(gradient);
            long[] flat = new long[rows];
            for (int i = 0; i < rows; i++) {
                flat[i] = i * vocab + labels[i];
            }
            Torch.addAtFlatIndices(gradient, scope.create(flat), scope.full(new Shape(rows), -1f));
            gradient.muli(Torch.scalar(gradient, scale));
            return new SumAndGradient(sum, gradient);
        });
    }

    /** Rows of logits (N, V) whose argmax is their label. */
    static int hits(NDArray logits, int[] labels) {
        long[] predicted = logits.argMax(-1).toLongArray();
        int hits = 0;
        for (int i = 0; i < predicted.length; i++) {
            hits += predicted[i] == labels[i] ? 1 : 0;
        }
        return hits;
    }

    /** The (N, D) rows {@code rows} (row-major over (B, T)) of a (B, T, D) array: logits or hidden states. */
    static NDArray rows(NDManager scope, NDArray x, long[] rows) {
        Shape s = x.getShape();
        return x.reshape(s.get(0) * s.get(1), s.get(2)).get(Torch.owned(scope.create(rows)));
    }
}
