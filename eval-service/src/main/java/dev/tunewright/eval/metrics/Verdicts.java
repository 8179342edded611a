package dev.tunewright.eval.metrics;

import dev.tunewright.contracts.evaluation.Verdict;

/** The verdict rule of {@link Verdict}, in one place for base and reference comparisons. */
public final class Verdicts {

    private Verdicts() {
    }

    /**
     * {@link Verdict#IMPROVED} when the difference is at least {@code margin} and its interval lies above zero,
     * {@link Verdict#REGRESSED} when the interval lies below zero, else {@link Verdict#NO_SIGNIFICANT_IMPROVEMENT}.
     */
    public static String decide(Interval difference, double margin) {
        if (difference.value() >= margin && difference.low() > 0) {
            return Verdict.IMPROVED;
        }
        if (difference.high() < 0) {
            return Verdict.REGRESSED;
        }
        return Verdict.NO_SIGNIFICANT_IMPROVEMENT;
    }
}
