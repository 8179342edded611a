package dev.tunewright.dataset.validation;

import dev.tunewright.engine.rows.RowFormat;
import java.util.List;

/**
 * Everything one pass over an uploaded file found: the valid rows (as offsets), every problem (the first
 * {@code maxReportedProblems} with line numbers), duplicates removed and the distinct responses.
 *
 * @param format            the file's format, null when no line was recognisable
 * @param lines             lines read, blank lines included
 * @param bytes             size of the file
 * @param rows              the kept rows as offsets; empty when the scan recorded them in a row index instead
 * @param rowCount          the rows kept, also when they went to a row index
 * @param problemCount      all problems found, also those beyond the reported ones
 * @param skippedLines      lines with at least one problem, in order (bounded like the problems)
 * @param duplicateLines    lines dropped as duplicates of an earlier row (bounded like the problems)
 * @param labels            distinct responses with counts, empty when {@code labelsOverflowed}
 */
public record ScanResult(
        RowFormat format,
        long lines,
        long bytes,
        List<RowEntry> rows,
        int rowCount,
        List<Problem> problems,
        long problemCount,
        long invalidLineCount,
        List<Long> skippedLines,
        long duplicateCount,
        List<Long> duplicateLines,
        List<LabelCount> labels,
        boolean labelsOverflowed) {

    public boolean valid() {
        return problemCount == 0;
    }
}
