package dev.tunewright.contracts.evaluation;

/**
 * The evaluator's answer to "was it worth it", as the events and the API spell it. {@link #IMPROVED} only when the
 * primary metric improved by at least the configured margin and the paired bootstrap 95% interval of the difference
 * excludes zero; anything else is {@link #NO_SIGNIFICANT_IMPROVEMENT}, or {@link #REGRESSED} when the interval lies
 * wholly below zero.
 */
public final class Verdict {

    public static final String IMPROVED = "improved";
    public static final String NO_SIGNIFICANT_IMPROVEMENT = "no_significant_improvement";
    public static final String REGRESSED = "regressed";

    private Verdict() {
    }
}
