package dev.tunewright.eval.metrics;

import java.util.Arrays;

/** Mean, median, 95th percentile and maximum of a sample (lengths, latencies). */
public record Distribution(double mean, double p50, double p95, double max) {

    public static Distribution of(double[] values) {
        if (values.length == 0) {
            return new Distribution(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return new Distribution(Arrays.stream(sorted).average().orElseThrow(), Bootstrap.quantile(sorted, 0.5),
                Bootstrap.quantile(sorted, 0.95), sorted[sorted.length - 1]);
    }
}
