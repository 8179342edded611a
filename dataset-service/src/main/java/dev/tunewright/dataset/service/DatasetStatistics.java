package dev.tunewright.dataset.service;

import dev.tunewright.dataset.split.SplitPlan;
import dev.tunewright.dataset.validation.LabelCount;
import dev.tunewright.dataset.validation.DedupedRows;
import dev.tunewright.dataset.validation.RowEntry;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The numbers a team looks at before spending GPU time: how many rows survived, how balanced the responses are,
 * how long the examples are, and whether validation leaks into train.
 *
 * @param distinctOutputs null when responses are free-form (more than the tracked bound)
 * @param outputCounts    the most frequent responses with their counts, most frequent first (at most 50)
 * @param tokens          lengths in the base model's tokens, null when the request named no base model
 */
public record DatasetStatistics(
        long rows,
        long duplicatesRemoved,
        long trainRows,
        long validationRows,
        boolean stratified,
        Integer distinctOutputs,
        List<LabelCount> outputCounts,
        Percentiles characters,
        TokenStatistics tokens,
        long leakageRows) {

    private static final int MAX_LISTED_OUTPUTS = 50;

    /** Nearest-rank percentiles of a length distribution. */
    public record Percentiles(long min, long p50, long p90, long p99, long max, double mean) {

        static Percentiles of(int[] values) {
            if (values.length == 0) {
                return new Percentiles(0, 0, 0, 0, 0, 0);
            }
            int[] sorted = values.clone();
            Arrays.sort(sorted);
            return new Percentiles(sorted[0], rank(sorted, 0.5), rank(sorted, 0.9), rank(sorted, 0.99),
                    sorted[sorted.length - 1], Arrays.stream(sorted).average().orElse(0));
        }

        private static long rank(int[] sorted, double p) {
            int index = (int) Math.ceil(p * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
        }
    }

    public static DatasetStatistics of(DedupedRows scan, SplitPlan plan, long trainRows, long validationRows,
            TokenStatistics tokens, long leakageRows) {
        int[] characters = scan.rows().stream().mapToInt(RowEntry::characters).toArray();
        List<LabelCount> outputs = scan.labels().stream()
                .sorted(Comparator.comparingLong(LabelCount::count).reversed())
                .limit(MAX_LISTED_OUTPUTS).toList();
        return new DatasetStatistics(scan.rows().size(), scan.duplicateCount(), trainRows, validationRows,
                plan != null && plan.stratified(), scan.labelsOverflowed() ? null : scan.labels().size(), outputs,
                Percentiles.of(characters), tokens, leakageRows);
    }
}
