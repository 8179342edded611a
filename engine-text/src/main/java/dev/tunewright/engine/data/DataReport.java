package dev.tunewright.engine.data;

import java.nio.file.Path;
import java.util.List;

/**
 * What reading a training file produced, for the team to check before paying for a run: how many examples
 * were kept, cut or dropped, and how much of each example the loss actually sees (a mean trainable share of a
 * few percent usually means long prompts and short answers, or the wrong masking). {@code errors} name file and
 * line; at most {@link #MAX_ERRORS} are kept so a wholly wrong file cannot exhaust memory, while
 * {@code dropped} counts them all. Shares are 0 when nothing was kept.
 */
public record DataReport(
        Path file,
        long kept,
        long truncated,
        long dropped,
        long totalTokens,
        long trainableTokens,
        double minTrainableShare,
        double meanTrainableShare,
        double maxTrainableShare,
        List<String> errors) {

    public static final int MAX_ERRORS = 100;

    public DataReport {
        errors = List.copyOf(errors);
    }

    public boolean hasErrors() {
        return dropped > 0;
    }

    /** The errors as one message, saying how many were left out. */
    public String errorSummary() {
        StringBuilder s = new StringBuilder(file + ": " + dropped + " example(s) cannot be trained on");
        errors.forEach(e -> s.append('\n').append(e));
        if (dropped > errors.size()) {
            s.append("\n... and ").append(dropped - errors.size()).append(" more");
        }
        return s.toString();
    }

    /** Accumulates a report while a file streams by. */
    static final class Builder {
        private final Path file;
        private final List<String> errors = new java.util.ArrayList<>();
        private long kept;
        private long truncated;
        private long dropped;
        private long totalTokens;
        private long trainableTokens;
        private double minShare = Double.POSITIVE_INFINITY;
        private double maxShare;
        private double shareSum;

        Builder(Path file) {
            this.file = file;
        }

        void kept(TokenizedExample e) {
            kept++;
            truncated += e.truncated() ? 1 : 0;
            totalTokens += e.length();
            trainableTokens += e.trainableTokens();
            double share = e.trainableShare();
            minShare = Math.min(minShare, share);
            maxShare = Math.max(maxShare, share);
            shareSum += share;
        }

        void dropped(long line, String why) {
            dropped++;
            if (errors.size() < MAX_ERRORS) {
                errors.add(file + ":" + line + ": " + why);
            }
        }

        DataReport build() {
            return new DataReport(file, kept, truncated, dropped, totalTokens, trainableTokens,
                    kept == 0 ? 0 : minShare, kept == 0 ? 0 : shareSum / kept, maxShare, errors);
        }
    }
}
