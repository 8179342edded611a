package dev.tunewright.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.tunewright.engine.model.CausalLm;
import dev.tunewright.engine.model.Torch;
import java.util.Arrays;

/**
 * The LM head and cross-entropy of a micro-batch, on the trained positions only and a chunk of them at a time,
 * each chunk with its own backward. Full (B, T, V) logits with their log-softmax and gradients are several
 * copies of B · T · V floats (about 1 GiB at batch 4 × 256 with a 49k vocabulary, 2.5 GiB with Llama 3's 128k),
 * the largest single cost of a step's memory; chunking bounds it at {@link #CHUNK_FLOATS} per chunk whatever
 * the vocabulary, and skipping prompt positions the loss masks out saves their head matmul too. Evaluation
 * scores the same way, without gradients.
 */
final class ChunkedLoss {

    /** Logit floats per chunk: 2^24, 64 MiB in float32. */
    static final int CHUNK_FLOATS = 1 << 24;

    private ChunkedLoss() {}

    /**
     * d(Σ trained -ln p(label) / stepTokens) / d{@code hidden}, accumulated chunk by chunk.
     *
     * @param hidden (B, T, H) the last decoder layer's output, a leaf with no graph of its own (detached or
     *     computed without gradients); it is given a gradient here
     * @param labels (B, T) the micro-batch's labels
     * @return the unscaled loss sum and the gradient with respect to {@code hidden} (in {@code hidden}'s
     *     manager), or a null gradient when nothing in the batch is trained
     */
    static Result backward(CausalLm lm, NDArray hidden, int[][] labels, int stepTokens) {
        return backward(lm, hidden, labels, stepTokens, Math.max(1, CHUNK_FLOATS / lm.config().vocabSize()));
    }

    /** As above with {@code chunkRows} trained positions per chunk. */
    static Result backward(CausalLm lm, NDArray hidden, int[][] labels, int stepTokens, int chunkRows) {
        TokenLoss.Targets targets = TokenLoss.targets(labels);
        if (targets.count() == 0) {
            return new Result(0, null);
        }
        Shape shape = hidden.getShape();
        hidden.setRequiresGradient(true);
        double lossSum = 0;
        for (int from = 0; from < targets.count(); from += chunkRows) {
            int to = Math.min(targets.count(), from + chunkRows);
            try (NDManager stage = hidden.getManager().newSubManager();
                 GradientCollector collector = Torch.engine().newGradientCollector()) {
                hidden.tempAttach(stage);
                // the chunk's trained positions: (N, H), then their logits (N, V)
                NDArray rows = Torch.owned(stage.create(Arrays.copyOfRange(targets.rows(), from, to)));
                NDArray picked = hidden.reshape(shape.get(0) * shape.get(1), shape.get(2)).get(rows);
                NDArray logProbs = lm.head(picked).logSoftmax(-1);
                // -ln p(label) summed over the chunk
                NDArray index = Torch.owned(stage.create(Arrays.copyOfRange(targets.labels(), from, to), new Shape(to - from, 1)));
                NDArray sum = logProbs.gather(index, -1).sum().neg();
                // a torch-owned divisor: backward reads it after this scope's Java buffers may be gone
                collector.backward(sum.div(Torch.scalar(sum, Math.max(1, stepTokens))));
                lossSum += sum.getFloat();
            }
        }
        NDArray gradient = hidden.getGradient();
        return new Result(lossSum, gradient);
    }

    /**
     * Σ -ln p(label) and the count of labels that are the argmax, over the trained positions of {@code hidden}
     * (B, T, H), chunk by chunk and without gradients: evaluation's loss and token accuracy without full logits.
     */
    static Scores score(CausalLm lm, NDArray hidden, int[][] labels) {
        return score(lm, hidden, labels, Math.max(1, CHUNK_FLOATS / lm.config().vocabSize()));
    }

    /** As above with {@code chunkRows} trained positions per chunk. */
    static Scores score(CausalLm lm, NDArray hidden, int[][] labels, int chunkRows) {
        TokenLoss.Targets targets = TokenLoss.targets(labels);
        Shape shape = hidden.getShape();
        double lossSum = 0;
        long correct = 0;
        for (int from = 0; from < targets.count(); from += chunkRows) {
            int to = Math.min(targets.count(), from + chunkRows);
            try (NDManager stage = hidden.getManager().newSubManager()) {
                hidden.tempAttach(stage);
                NDArray rows = stage.create(Arrays.copyOfRange(targets.rows(), from, to));
                NDArray logits = lm.head(hidden.reshape(shape.get(0) * shape.get(1), shape.get(2)).get(rows));
                NDArray index = stage.create(Arrays.copyOfRange(targets.labels(), from, to), new Shape(to - from, 1));
                lossSum += logits.logSoftmax(-1).gather(index, -1).sum().neg().getFloat();
                long[] predicted = logits.argMax(-1).toLongArray();
                for (int i = 0; i < predicted.length; i++) {
                    correct += predicted[i] == targets.labels()[from + i] ? 1 : 0;
                }
            }
        }
        return new Scores(lossSum, correct);
    }

    /** Evaluation's sums over one micro-batch. */
    record Scores(double lossSum, long correct) {
    }

    /** The loss sum of the micro-batch and d loss / d hidden (null when nothing was trained). */
    record Result(double lossSum, NDArray hiddenGradient) {
    }
}
