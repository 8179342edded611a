package dev.tunewright.eval.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * ROUGE-L F1 (Lin 2004) on words: the longest common subsequence of reference and output, as precision over the
 * output's words and recall over the reference's, combined with equal weight as Google's {@code rouge_score} does.
 * Words are that package's default tokens (lower-cased runs of letters and digits, everything else a separator),
 * except that letters and digits of any script count, so non-English answers are not scored as empty.
 */
public final class RougeL {

    /** Longer texts are cut to this many words: the quadratic LCS stays bounded on runaway generations. */
    static final int MAX_WORDS = 4096;

    private RougeL() {
    }

    /** ROUGE-L F1 in [0, 1]; 0 when either side has no words. */
    public static double f1(String reference, String output) {
        List<String> ref = words(reference);
        List<String> out = words(output);
        if (ref.isEmpty() || out.isEmpty()) {
            return 0;
        }
        int lcs = lcs(ref, out);
        if (lcs == 0) {
            return 0;
        }
        double precision = (double) lcs / out.size();
        double recall = (double) lcs / ref.size();
        return 2 * precision * recall / (precision + recall);
    }

    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!word.isEmpty() && out.size() < MAX_WORDS) {
                out.add(word);
            }
        }
        return out;
    }

    /** Length of the longest common subsequence, two rows of the usual table at a time. */
    static int lcs(List<String> a, List<String> b) {
        int[] previous = new int[b.size() + 1];
        int[] current = new int[b.size() + 1];
        for (String x : a) {
            for (int j = 1; j <= b.size(); j++) {
                current[j] = x.equals(b.get(j - 1)) ? previous[j - 1] + 1 : Math.max(previous[j], current[j - 1]);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.size()];
    }
}
