package dev.tunewright.engine.model;

import static dev.tunewright.engine.model.TinyModels.randomTokens;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.tunewright.engine.folder.ModelFolder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The engine's log-probabilities equal a plain double-precision reference within 1e-4 for every
 * family, for single sequences and for left- and right-padded batches of different lengths.
 */
public class ModelParityTest {

    static final double TOLERANCE = 1e-4;
    static final double HALF_TOLERANCE = 0.05;
    static final double BFLOAT16_TOLERANCE = 8 * HALF_TOLERANCE; // 3 fewer mantissa bits than float16

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2", "phi3", "gemma2"})
    void singleSequencesMatchTheReference(String family) throws IOException {
        TinyModels.write(family, dir);
        ReferenceModel reference = new ReferenceModel(dir);
        Random random = new Random(7);
        // 12 stays inside Phi-3's short rope context (16), 24 switches it to the long factors;
        // both exceed Gemma 2's window of 5
        List<int[]> sequences = List.of(randomTokens(random, 12), randomTokens(random, 24));
        try (LanguageModel model = TinyModels.load(dir)) {
            for (int[] tokens : sequences) {
                double[] expected = reference.logProbs(tokens);
                double[] actual = model.logProbs(List.of(tokens)).get(0);
                assertThat(actual[0]).isNaN();
                assertClose(actual, expected);
                assertThat(spread(expected)).as("the tiny model must not be uniform").isGreaterThan(1.0);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2", "phi3", "gemma2"})
    void paddedBatchesMatchUnpaddedSequences(String family) throws IOException {
        TinyModels.write(family, dir);
        ReferenceModel reference = new ReferenceModel(dir);
        Random random = new Random(11);
        // lengths stay on one side of Phi-3's rope switch: HF picks the factors per call, not per row
        List<int[]> sequences = List.of(randomTokens(random, 15), randomTokens(random, 6), randomTokens(random, 11));
        try (LanguageModel model = TinyModels.load(dir)) {
            for (boolean left : new boolean[] {true, false}) {
                List<double[]> actual = paddedLogProbs(model, sequences, left);
                for (int b = 0; b < sequences.size(); b++) {
                    assertClose(actual.get(b), reference.logProbs(sequences.get(b)));
                }
            }
            // the public scoring API pads on its own
            List<double[]> scored = model.logProbs(sequences);
            for (int b = 0; b < sequences.size(); b++) {
                assertClose(scored.get(b), reference.logProbs(sequences.get(b)));
            }
        }
    }

    /**
     * The float16 path CUDA takes and the bf16 path of CPUs with AMX or AVX-512 BF16: every family still loads and
     * tracks the reference to half precision, which catches dtype mix-ups such as a float32 mask or rope table
     * meeting half-precision scores. bf16 keeps 8 bits of mantissa against float16's 11, hence its wider bound.
     */
    @ParameterizedTest
    @CsvSource({"llama, FLOAT16", "qwen2, FLOAT16", "phi3, FLOAT16", "gemma2, FLOAT16",
                "llama, BFLOAT16", "qwen2, BFLOAT16", "phi3, BFLOAT16", "gemma2, BFLOAT16"})
    void halfPrecisionComputeStaysCloseToTheReference(String family, DataType dtype) throws IOException {
        TinyModels.write(family, dir);
        ReferenceModel reference = new ReferenceModel(dir);
        int[] tokens = randomTokens(new Random(5), 14);
        double[] expected = reference.logProbs(tokens);
        try (ModelFolder folder = ModelFolder.open(dir);
             LanguageModel model = LanguageModel.load(folder, Device.cpu(), dtype)) {
            assertThat(model.dtype()).isEqualTo(dtype);
            double[] actual = model.logProbs(List.of(tokens)).get(0);
            double worst = 0;
            for (int i = 1; i < tokens.length; i++) {
                worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
            }
            double bound = dtype == DataType.FLOAT16 ? HALF_TOLERANCE : BFLOAT16_TOLERANCE;
            System.out.printf("%s %s against the reference: largest log-prob error %.4f (bound %.2f)%n", family, dtype,
                    worst, bound);
            assertThat(worst).as("largest %s log-prob error", dtype).isLessThan(bound);
        }
    }

    /** Pads left or right with token 0, runs one masked forward and reads each row's own positions. */
    public static List<double[]> paddedLogProbs(LanguageModel model, List<int[]> sequences, boolean left) {
        int steps = sequences.stream().mapToInt(s -> s.length).max().orElseThrow();
        int[][] ids = new int[sequences.size()][steps];
        long[][] mask = new long[sequences.size()][steps];
        for (int b = 0; b < sequences.size(); b++) {
            int[] s = sequences.get(b);
            int offset = left ? steps - s.length : 0;
            System.arraycopy(s, 0, ids[b], offset, s.length);
            for (int i = 0; i < s.length; i++) {
                mask[b][offset + i] = 1;
            }
        }
        List<double[]> out = new ArrayList<>();
        try (NDManager manager = model.newManager()) {
            NDArray logProbs = model.network().forward(manager, ids, mask, null, false).logSoftmax(-1);
            float[] flat = logProbs.toFloatArray();
            int vocab = TinyModels.VOCAB;
            for (int b = 0; b < sequences.size(); b++) {
                int[] s = sequences.get(b);
                int offset = left ? steps - s.length : 0;
                double[] lp = new double[s.length];
                lp[0] = Double.NaN;
                for (int i = 1; i < s.length; i++) {
                    lp[i] = flat[(b * steps + offset + i - 1) * vocab + s[i]];
                }
                out.add(lp);
            }
        }
        return out;
    }

    static void assertClose(double[] actual, double[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 1; i < expected.length; i++) {
            assertThat(actual[i]).as("log-probability of token %d", i).isCloseTo(expected[i],
                    org.assertj.core.data.Offset.offset(TOLERANCE));
        }
    }

    private static double spread(double[] logProbs) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 1; i < logProbs.length; i++) {
            min = Math.min(min, logProbs[i]);
            max = Math.max(max, logProbs[i]);
        }
        return max - min;
    }
}
