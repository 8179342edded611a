package dev.tunewright.registry.service;

import dev.tunewright.contracts.evaluation.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Whether a version may take a gated alias (production). Two kinds of answer: what blocks outright (a serving-
 * readiness check that failed or has not finished: an adapter the server cannot load must never reach production,
 * forced or not) and what the evidence refuses (no evaluation, a verdict other than improved, a regression against
 * the version holding the alias), which {@code force} with a reason may override and the audit records.
 */
public final class PromotionGate {

    private PromotionGate() {
    }

    /** What the gate knows about one version. */
    public record Facts(int version, String readinessStatus, List<String> readinessFailures, Evaluation evaluation) {
    }

    /** The evaluation that speaks for a version's job; null in {@link Facts} when there is none. */
    public record Evaluation(String evaluationId, boolean completed, String verdict, String primaryMetric,
            Map<String, Double> tunedMetrics, String message) {
    }

    /**
     * @param blocking   never overridden
     * @param refusals   overridden by {@code force} with a reason
     */
    public record Decision(List<String> blocking, List<String> refusals) {
        public boolean allowed() {
            return blocking.isEmpty() && refusals.isEmpty();
        }
    }

    /**
     * @param holder the version holding the alias now, null when none does (or it is the target itself)
     * @param margin how far the target may fall below the holder on the primary metric
     */
    public static Decision decide(String alias, Facts target, Facts holder, double margin) {
        List<String> blocking = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        String v = "version " + target.version();
        switch (target.readinessStatus()) {
            case "passed" -> { }
            case "failed" -> blocking.add(v + " fails the serving-readiness check (" + String.join("; ",
                    target.readinessFailures()) + "); the serving stack cannot load it, so it cannot be " + alias);
            default -> blocking.add(v + " has not finished its serving-readiness check yet; try again shortly");
        }
        Evaluation evaluation = target.evaluation();
        if (evaluation == null) {
            refusals.add(v + " has no evaluation of its final adapter; " + alias + " needs one that says "
                    + Verdict.IMPROVED);
        } else if (!evaluation.completed()) {
            refusals.add(v + "'s evaluation " + evaluation.evaluationId() + " failed (" + evaluation.message() + "); "
                    + alias + " needs one that says " + Verdict.IMPROVED);
        } else if (!Verdict.IMPROVED.equals(evaluation.verdict())) {
            refusals.add(v + "'s evaluation says " + evaluation.verdict() + " over the base, not " + Verdict.IMPROVED);
        } else if (holder != null) {
            regression(alias, target, holder, margin, refusals);
        }
        return new Decision(List.copyOf(blocking), List.copyOf(refusals));
    }

    /** Lower is better for losses, perplexities and error rates; higher for everything else (accuracy, F1, ...). */
    static boolean lowerIsBetter(String metric) {
        String name = metric.toLowerCase(Locale.ROOT);
        return name.contains("loss") || name.contains("perplexity") || name.contains("error") || name.equals("wer")
                || name.equals("cer");
    }

    private static void regression(String alias, Facts target, Facts holder, double margin, List<String> refusals) {
        Evaluation mine = target.evaluation();
        Evaluation theirs = holder.evaluation();
        String metric = mine.primaryMetric();
        Double now = metric == null ? null : mine.tunedMetrics().get(metric);
        Double before = theirs == null || !theirs.completed() || metric == null ? null : theirs.tunedMetrics().get(metric);
        if (now == null || before == null) {
            return; // nothing comparable: the holder was never evaluated on this metric
        }
        double worseBy = lowerIsBetter(metric) ? now - before : before - now;
        if (worseBy > margin) {
            refusals.add("version " + target.version() + " regresses against version " + holder.version() + ", which holds "
                    + alias + ": " + metric + " " + format(now) + " against " + format(before) + " (worse by "
                    + format(worseBy) + ", margin " + format(margin) + ")");
        }
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.4g", value);
    }
}
