package dev.tunewright.engine.generate;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Picks the next token from one row of logits on the Java side: a vocabulary-sized row per sequence per
 * step is cheap next to the forward pass, and keeps HF's warper semantics easy to read and test.
 */
final class Sampler {

    private final SamplingParams params;
    private final Random random;

    Sampler(SamplingParams params) {
        this.params = params;
        this.random = new Random(params.seed());
    }

    /** The next token for the logits {@code row[offset .. offset + vocab)}. */
    int next(float[] row, int offset, int vocab) {
        if (params.isGreedy()) {
            return argMax(row, offset, vocab);
        }
        double[] scores = new double[vocab];
        for (int i = 0; i < vocab; i++) {
            scores[i] = row[offset + i] / params.temperature();
        }
        // ascending order, as HF's warpers sort
        Integer[] order = IntStream.range(0, vocab).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        boolean[] removed = new boolean[vocab];
        // top-k: drop everything below the k-th largest score (ties with it stay)
        if (params.topK() > 0 && params.topK() < vocab) {
            double kth = scores[order[vocab - params.topK()]];
            for (int i = 0; i < vocab; i++) {
                removed[i] = scores[i] < kth;
            }
        }
        // top-p: drop the low tail whose cumulative probability is at most 1 - p; the top token always stays
        if (params.topP() < 1) {
            double[] probabilities = softmax(scores, removed);
            double cumulative = 0;
            for (int rank = 0; rank < vocab - 1; rank++) {
                int token = order[rank];
                cumulative += probabilities[token];
                if (cumulative <= 1 - params.topP()) {
                    removed[token] = true;
                }
            }
        }
        // draw from what is left
        double[] probabilities = softmax(scores, removed);
        double u = random.nextDouble();
        double cumulative = 0;
        int last = -1;
        for (int i = 0; i < vocab; i++) {
            if (removed[i]) {
                continue;
            }
            last = i;
            cumulative += probabilities[i];
            if (u < cumulative) {
                return i;
            }
        }
        return last;
    }

    static int argMax(float[] row, int offset, int vocab) {
        int best = 0;
        for (int i = 1; i < vocab; i++) {
            if (row[offset + i] > row[offset + best]) {
                best = i;
            }
        }
        return best;
    }

    private static double[] softmax(double[] scores, boolean[] removed) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < scores.length; i++) {
            if (!removed[i]) {
                max = Math.max(max, scores[i]);
            }
        }
        double[] out = new double[scores.length];
        double sum = 0;
        for (int i = 0; i < scores.length; i++) {
            out[i] = removed[i] ? 0 : Math.exp(scores[i] - max);
            sum += out[i];
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= sum;
        }
        return out;
    }
}
