package dev.tunewright.engine.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tunewright.engine.data.PackedSequence;
import dev.tunewright.engine.data.TokenizedExample;
import dev.tunewright.engine.model.LanguageModel;
import dev.tunewright.engine.model.TinyModels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model's packed forward, which the trainer relies on: packed examples and right padding compute each
 * real token exactly as the example alone would, so neither neighbours nor padding leak into the loss.
 * Gemma 2 covers sliding windows and soft-caps on top of the plain causal mask.
 */
class PackedForwardTest {

    @TempDir
    Path dir;

    @Test
    void packedAndPaddedRowsMatchEachExampleAlone() throws IOException {
        int ignore = TokenizedExample.IGNORE;
        TokenizedExample a = new TokenizedExample(new int[] {1, 5, 9, 13, 17, 21, 25}, new int[] {ignore, ignore, 9, 13, 17, 21, 25}, 5, 1, false);
        TokenizedExample b = new TokenizedExample(new int[] {1, 7, 3}, new int[] {ignore, ignore, 3}, 1, 2, false);
        PackedSequence packed = new PackedSequence(concat(a.inputIds(), b.inputIds()), concat(a.labels(), b.labels()),
                new int[] {0, 1, 2, 3, 4, 5, 6, 0, 1, 2}, new int[] {1, 1, 1, 1, 1, 1, 1, 2, 2, 2}, new long[] {1, 2});
        for (Path model : List.of(TinyModels.llama(dir.resolve("llama")), TinyModels.gemma2(dir.resolve("gemma2")))) {
            try (LanguageModel m = TinyModels.load(model); NDManager scope = m.newManager()) {
                float[] aloneA = alone(m, scope, a);
                float[] aloneB = alone(m, scope, b);
                int vocab = m.config().vocabSize();
                // one row packing a then b, and a second row holding b padded to the same length
                MicroBatch batch = MicroBatch.of(List.of(packed, PackedSequence.of(b)), 0);
                float[] logits = m.network().forward(scope, batch.inputIds(), batch.positionIds(), batch.segmentIds()).toFloatArray();
                int length = batch.length();
                assertThat(Arrays.copyOfRange(logits, 0, 7 * vocab)).containsExactly(aloneA, within(1e-4f));
                assertThat(Arrays.copyOfRange(logits, 7 * vocab, 10 * vocab)).containsExactly(aloneB, within(1e-4f));
                assertThat(Arrays.copyOfRange(logits, length * vocab, (length + 3) * vocab)).containsExactly(aloneB, within(1e-4f));
                // and so the loss: the batch's sum is the sum of the examples' sums
                NDArray logitsArray = m.network().forward(scope, batch.inputIds(), batch.positionIds(), batch.segmentIds());
                float batchLoss = TokenLoss.sum(scope, logitsArray, batch.labels()).getFloat();
                float separate = loss(m, scope, a) + 2 * loss(m, scope, b);
                assertThat(batchLoss).isCloseTo(separate, within(1e-3f));
                assertThat(batch.trainableTokens()).isEqualTo(5 + 1 + 1);
            }
        }
    }

    private static float[] alone(LanguageModel m, NDManager scope, TokenizedExample e) {
        MicroBatch one = MicroBatch.of(List.of(PackedSequence.of(e)), 0);
        return m.network().forward(scope, one.inputIds(), one.positionIds(), one.segmentIds()).toFloatArray();
    }

    private static float loss(LanguageModel m, NDManager scope, TokenizedExample e) {
        MicroBatch one = MicroBatch.of(List.of(PackedSequence.of(e)), 0);
        return TokenLoss.sum(scope, m.network().forward(scope, one.inputIds(), one.positionIds(), one.segmentIds()), one.labels())
                .getFloat();
    }

    private static int[] concat(int[] x, int[] y) {
        int[] out = Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, out, x.length, y.length);
        return out;
    }
}
