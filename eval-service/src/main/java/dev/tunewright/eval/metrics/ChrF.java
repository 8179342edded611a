package dev.tunewright.eval.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * chrF (Popović 2015) exactly as sacreBLEU 2.x computes it with its defaults (character n-grams of order 1 to 6,
 * no word n-grams, beta 2, whitespace removed, effective-order averaging): the character F-score that ranks
 * short free-text answers better than word overlap does, because a near-miss in spelling or inflection still
 * earns most of the n-grams. Scores are in [0, 1] (sacreBLEU prints them times 100); {@code ChrFInteropTest}
 * compares both against sacreBLEU itself.
 */
public final class ChrF {

    static final int ORDER = 6;
    static final double BETA = 2;

    private ChrF() {
    }

    /** The chrF of one hypothesis against one reference. */
    public static double sentence(String hypothesis, String reference) {
        return score(statistics(hypothesis, reference));
    }

    /** Corpus chrF: the n-gram statistics of all pairs summed first, then one score (as sacreBLEU's corpus_score). */
    public static double corpus(List<String> hypotheses, List<String> references) {
        if (hypotheses.size() != references.size()) {
            throw new IllegalArgumentException(hypotheses.size() + " hypotheses for " + references.size() + " references");
        }
        long[] total = new long[3 * ORDER];
        for (int i = 0; i < hypotheses.size(); i++) {
            long[] stats = statistics(hypotheses.get(i), references.get(i));
            for (int k = 0; k < total.length; k++) {
                total[k] += stats[k];
            }
        }
        return score(total);
    }

    /** Per order n: [hypothesis n-grams, reference n-grams, matched n-grams] (hypothesis count 0 when the reference has none). */
    static long[] statistics(String hypothesis, String reference) {
        int[] hyp = withoutWhitespace(hypothesis);
        int[] ref = withoutWhitespace(reference);
        long[] stats = new long[3 * ORDER];
        for (int n = 1; n <= ORDER; n++) {
            Map<String, Integer> refGrams = grams(ref, n);
            Map<String, Integer> hypGrams = grams(hyp, n);
            long hypCount = 0;
            long matches = 0;
            for (Map.Entry<String, Integer> gram : hypGrams.entrySet()) {
                hypCount += gram.getValue();
                Integer inRef = refGrams.get(gram.getKey());
                if (inRef != null) {
                    matches += Math.min(gram.getValue(), inRef);
                }
            }
            stats[3 * (n - 1)] = refGrams.isEmpty() ? 0 : hypCount;
            stats[3 * (n - 1) + 1] = Math.max(0, ref.length - n + 1);
            stats[3 * (n - 1) + 2] = matches;
        }
        return stats;
    }

    static double score(long[] stats) {
        double factor = BETA * BETA;
        double precisionSum = 0;
        double recallSum = 0;
        int effectiveOrder = 0;
        for (int n = 0; n < ORDER; n++) {
            long hyp = stats[3 * n];
            long ref = stats[3 * n + 1];
            long match = stats[3 * n + 2];
            if (hyp > 0 && ref > 0) {
                precisionSum += (double) match / hyp;
                recallSum += (double) match / ref;
                effectiveOrder++;
            }
        }
        if (effectiveOrder == 0) {
            return 0;
        }
        double precision = precisionSum / effectiveOrder;
        double recall = recallSum / effectiveOrder;
        if (precision + recall == 0) {
            return 0;
        }
        return (1 + factor) * precision * recall / (factor * precision + recall);
    }

    /** Code points of {@code text} without whitespace, where whitespace is what Python's {@code str.split()} splits on. */
    static int[] withoutWhitespace(String text) {
        return text.codePoints().filter(c -> !pythonSpace(c)).toArray();
    }

    private static boolean pythonSpace(int c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == 0x85;
    }

    private static Map<String, Integer> grams(int[] codePoints, int n) {
        Map<String, Integer> out = new HashMap<>();
        for (int i = 0; i + n <= codePoints.length; i++) {
            out.merge(new String(codePoints, i, n), 1, Integer::sum);
        }
        return out;
    }
}
