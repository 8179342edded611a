package dev.tunewright.dataset.validation;

/**
 * The explicit limits of one validation run; every one is configurable (see {@code DatasetConfig}) so that a
 * team with long documents can raise them deliberately instead of hitting a hidden ceiling.
 *
 * @param maxLineBytes       longest accepted line, in bytes
 * @param maxRows            most rows accepted in one file
 * @param maxReportedProblems problems kept with line numbers in the report; all are still counted
 * @param maxMessages        most messages in one chat conversation
 */
public record ValidationLimits(int maxLineBytes, long maxRows, int maxReportedProblems, int maxMessages) {

    public static final ValidationLimits DEFAULTS = new ValidationLimits(1 << 20, 1_000_000, 1_000, 256);

    public ValidationLimits {
        if (maxLineBytes < 16 || maxRows < 1 || maxReportedProblems < 1 || maxMessages < 2) {
            throw new IllegalArgumentException("validation limits too small: " + maxLineBytes + " bytes/line, "
                    + maxRows + " rows, " + maxReportedProblems + " problems, " + maxMessages + " messages");
        }
    }
}
