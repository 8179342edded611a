package dev.tunewright.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.tunewright.engine.model.DecoderNetwork;
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

    /**
     * Logit floats per chunk: 7 · 2^20, 28 MiB in float32. Under glibc's 32 MiB ceiling for its mmap threshold, so a
     * freed chunk's arrays come back from the heap for the next chunk instead of being mapped afresh and page-faulted
     * in: a bf16 step of the benchmark model took 1.8 s instead of 2.4-2.7 s with 64 MiB chunks (docs/benchmarks.md).
     */
    static final int CHUNK_FLOATS = 7 << 20;

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
    static Result backward(DecoderNetwork network, NDArray hidden, int[][] labels, int stepTokens) {
        return backward(network, hidden, labels, stepTokens, Math.max(1, CHUNK_FLOATS / network.config().vocabSize()));
    }

    /** As above with {@code chunkRows} trained positions per chunk. */
    static Result backward(DecoderNetwork network, NDArray hidden, int[][] labels, int stepTokens, int chunkRows) {
        TokenLoss.Targets targets = TokenLoss.targets(labels);
        if (targets.count() == 0) {
            return new Result(0, null);
        }
        hidden.setRequiresGradient(true);
        double lossSum = 0;
        for (int from = 0; from < targets.count(); from += chunkRows) {
            int to = Math.min(targets.count(), from + chunkRows);
            try (NDManager stage = hidden.getManager().newSubManager();
                 GradientCollector collector = Torch.engine().newGradientCollector()) {
                hidden.tempAttach(stage);
                // the chunk's trained positions (N, H), their logits (N, V), -ln p(label) summed over the chunk
                NDArray logits = network.head(TokenLoss.rows(stage, hidden, Arrays.copyOfRange(targets.rows(), from, to)));
                // the loss and its gradient with respect to the logits, (softmax - onehot) / stepTokens
                TokenLoss.SumAndGradient loss = TokenLoss.sumAndGradient(stage, logits,
                        Arrays.copyOfRange(targets.labels(), from, to), 1f / Math.max(1, stepTokens));
                // from there back through the LM head and final norm to hidden
                Gradients.backwardFrom(logits, loss.gradient());
                lossSum += loss.sum();
            }
        }
        NDArray gradient = hidden.getGradient();
        return new Result(lossSum, gradient);
    }

    /**
     * Σ -ln p(label) and the count of labels that are the argmax, over the trained positions of {@code hidden}
     * (B, T, H), chunk by chunk and without gradients: evaluation's loss and token accuracy without full logits.
     */
    static Scores score(DecoderNetwork network, NDArray hidden, int[][] labels) {
        return score(network, hidden, labels, Math.max(1, CHUNK_FLOATS / network.config().vocabSize()));
    }

    /** As above with {@code chunkRows} trained positions per chunk. */
    static Scores score(DecoderNetwork network, NDArray hidden, int[][] labels, int chunkRows) {
        TokenLoss.Targets targets = TokenLoss.targets(labels);
        double lossSum = 0;
        long correct = 0;
        for (int from = 0; from < targets.count(); from += chunkRows) {
            int to = Math.min(targets.count(), from + chunkRows);
            try (NDManager stage = hidden.getManager().newSubManager()) {
                hidden.tempAttach(stage);
                NDArray logits = network.head(TokenLoss.rows(stage, hidden, Arrays.copyOfRange(targets.rows(), from, to)));
                int[] chunkLabels = Arrays.copyOfRange(targets.labels(), from, to);
                lossSum += TokenLoss.sumOfRows(stage, logits, chunkLabels).getFloat();
                correct += TokenLoss.hits(logits, chunkLabels);
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
