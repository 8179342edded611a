package dev.tunewright.dataset.service;

import dev.tunewright.dataset.validation.Problem;
import dev.tunewright.dataset.validation.ScanResult;
import java.util.List;

/**
 * What was wrong with a file, in the form teams read it: every problem with its line and field (up to the
 * configured number; {@code problemCount} counts all), and the lines that were skipped.
 */
public record ValidationReport(
        long lines,
        long problemCount,
        boolean truncated,
        List<Problem> problems,
        long skippedLineCount,
        List<Long> skippedLines) {

    public static ValidationReport of(ScanResult scan) {
        return new ValidationReport(scan.lines(), scan.problemCount(), scan.problemCount() > scan.problems().size(),
                scan.problems(), scan.invalidLineCount(), scan.skippedLines());
    }

    /** One line for {@code status_details} and error messages: the first problem and how many more there are. */
    public String summary() {
        if (problemCount == 0) {
            return null;
        }
        String first = problems.isEmpty() ? "" : problems.get(0).describe();
        return problemCount == 1 ? first : first + " (and " + (problemCount - 1) + " more problems)";
    }
}
