package dev.tunewright.dataset.validation;

import java.util.List;

/**
 * What cutting a dataset needs of a file: the rows that survive de-duplication in file order, what was removed,
 * and the distinct responses for stratification. It comes either from the row index kept at upload or, for a file
 * without a usable index, from scanning the file again; both give the same value.
 *
 * @param duplicateLines lines dropped as duplicates of an earlier row (bounded like reported problems)
 * @param labels         distinct responses with counts, empty when {@code labelsOverflowed}
 */
public record DedupedRows(List<RowEntry> rows, long duplicateCount, List<Long> duplicateLines, List<LabelCount> labels,
        boolean labelsOverflowed) {

    public static DedupedRows of(ScanResult scan) {
        return new DedupedRows(scan.rows(), scan.duplicateCount(), scan.duplicateLines(), scan.labels(),
                scan.labelsOverflowed());
    }
}
