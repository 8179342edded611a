package dev.tunewright.engine.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.tunewright.engine.data.TokenizedExample;
import dev.tunewright.engine.model.LanguageModel;
import dev.tunewright.engine.model.TinyModels;
import dev.tunewright.engine.model.Torch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chunked head and loss must be the ordinary loss over full logits, only computed in pieces: the same
 * loss sum and the same gradient with respect to the last hidden state however the trained positions are cut
 * into chunks (one position, an uneven split, all at once), with untrained positions getting no gradient; and
 * evaluation's chunked scoring gives the loss and the greedy hits of full logits.
 */
class ChunkedLossTest {

    @TempDir
    Path dir;

    @Test
    void chunksGiveTheLossAndGradientOfTheFullLogits() throws IOException {
        // Gemma 2 also soft-caps its logits, which the head applies per chunk
        for (Path folder : new Path[] {TinyModels.llama(dir.resolve("llama")), TinyModels.gemma2(dir.resolve("gemma2"))}) {
            try (LanguageModel model = TinyModels.load(folder); NDManager m = model.newManager()) {
                Random random = new Random(4);
                int batch = 2;
                int length = 9;
                int[][] ids = new int[batch][length];
                long[][] positions = new long[batch][length];
                int[][] segments = new int[batch][length];
                int[][] labels = new int[batch][length];
                for (int b = 0; b < batch; b++) {
                    for (int t = 0; t < length; t++) {
                        ids[b][t] = random.nextInt(TinyModels.VOCAB);
                        positions[b][t] = t;
                        segments[b][t] = 1;
                        // the prompt half is masked, as in SFT
                        labels[b][t] = t < 4 ? TokenizedExample.IGNORE : ids[b][t];
                    }
                }
                NDArray hidden = model.network().hidden(m, ids, positions, segments, layer -> { });
                // reference: full (B, T, V) logits and the ordinary loss, differentiated with respect to hidden
                NDArray leaf = hidden.duplicate();
                leaf.setRequiresGradient(true);
                double referenceLoss;
                float[] reference;
                try (GradientCollector collector = Torch.engine().newGradientCollector()) {
                    NDArray sum = TokenLoss.sum(m, model.network().head(leaf), labels);
                    collector.backward(sum.div(Torch.scalar(sum, 5)));
                    referenceLoss = sum.getFloat();
                    reference = leaf.getGradient().toFloatArray();
                }
                int referenceCorrect = TokenLoss.correct(m, model.network().head(hidden), labels);
                for (int chunkRows : new int[] {1, 3, 1000}) {
                    ChunkedLoss.Scores scores = Torch.withoutGradients(() -> ChunkedLoss.score(model.network(), hidden, labels, chunkRows));
                    assertThat(scores.lossSum()).as("evaluation loss, chunks of %d", chunkRows)
                            .isCloseTo(referenceLoss, within(1e-4 * referenceLoss));
                    assertThat(scores.correct()).as("evaluation hits, chunks of %d", chunkRows).isEqualTo(referenceCorrect);
                    NDArray copy = hidden.duplicate();
                    ChunkedLoss.Result result = ChunkedLoss.backward(model.network(), copy, labels, 5, chunkRows);
                    assertThat(result.lossSum()).as("loss, chunks of %d", chunkRows).isCloseTo(referenceLoss, within(1e-4 * referenceLoss));
                    float[] gradient = result.hiddenGradient().toFloatArray();
                    assertThat(gradient).hasSameSizeAs(reference);
                    double scale = 0;
                    for (float g : reference) {
                        scale = Math.max(scale, Math.abs(g));
                    }
                    assertThat(scale).isGreaterThan(0);
                    for (int i = 0; i < gradient.length; i++) {
                        assertThat((double) gradient[i]).as("gradient %d, chunks of %d", i, chunkRows)
                                .isCloseTo(reference[i], within(1e-5 * scale));
                    }
                    // position t predicts label t + 1: positions 0-2 of each row feed only masked labels
                    int hiddenSize = model.config().hiddenSize();
                    for (int b = 0; b < batch; b++) {
                        for (int i = 0; i < 3 * hiddenSize; i++) {
                            assertThat(gradient[(b * length) * hiddenSize + i]).isZero();
                        }
                    }
                }
            }
        }
    }

    @Test
    void aBatchWithNothingTrainedHasNoGradient() throws IOException {
        try (LanguageModel model = TinyModels.load(TinyModels.qwen2(dir)); NDManager m = model.newManager()) {
            NDArray hidden = model.network().hidden(m, new int[][] {{1, 2, 3}}, new long[][] {{0, 1, 2}}, new int[][] {{1, 1, 1}},
                    layer -> { });
            int ignore = TokenizedExample.IGNORE;
            ChunkedLoss.Result result = ChunkedLoss.backward(model.network(), hidden, new int[][] {{ignore, ignore, ignore}}, 1, 8);
            assertThat(result.lossSum()).isZero();
            assertThat(result.hiddenGradient()).isNull();
        }
    }
}
