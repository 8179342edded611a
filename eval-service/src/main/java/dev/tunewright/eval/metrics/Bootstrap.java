package dev.tunewright.eval.metrics;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Percentile bootstrap intervals for means of per-example scores. The paired form resamples examples, not scores,
 * so base and fine-tuned are always compared on the same rows: what makes a small held-out split still say
 * something about the difference. The seed is fixed, so the same outputs always give the same interval.
 */
public final class Bootstrap {

    public static final int DEFAULT_RESAMPLES = 2000;
    public static final long SEED = 0x7E57_B007L;

    private Bootstrap() {
    }

    /** Mean of {@code tuned[i] - base[i]} with its 95% interval over {@code resamples} resamples of the rows. */
    public static Interval pairedDifference(double[] tuned, double[] base, int resamples) {
        if (tuned.length != base.length) {
            throw new IllegalArgumentException("paired scores differ in length: " + tuned.length + " and " + base.length);
        }
        double[] difference = new double[tuned.length];
        for (int i = 0; i < difference.length; i++) {
            difference[i] = tuned[i] - base[i];
        }
        return mean(difference, resamples);
    }

    /** The mean with its 95% interval over {@code resamples} resamples. */
    public static Interval mean(double[] values, int resamples) {
        if (values.length == 0) {
            return new Interval(Double.NaN, Double.NaN, Double.NaN);
        }
        if (resamples < 1) {
            throw new IllegalArgumentException("resamples must be at least 1, was " + resamples);
        }
        SplittableRandom random = new SplittableRandom(SEED);
        double[] means = new double[resamples];
        int n = values.length;
        for (int r = 0; r < resamples; r++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += values[random.nextInt(n)];
            }
            means[r] = sum / n;
        }
        Arrays.sort(means);
        return new Interval(Arrays.stream(values).average().orElseThrow(), quantile(means, 0.025), quantile(means, 0.975));
    }

    /** The q-quantile of sorted values, interpolated linearly between ranks (numpy's default). */
    static double quantile(double[] sorted, double q) {
        double rank = q * (sorted.length - 1);
        int below = (int) Math.floor(rank);
        int above = Math.min(sorted.length - 1, below + 1);
        return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
    }
}
