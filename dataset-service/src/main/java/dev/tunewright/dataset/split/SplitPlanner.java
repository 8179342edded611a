package dev.tunewright.dataset.split;

import dev.tunewright.dataset.validation.RowEntry;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Chooses the held-out rows. Three properties matter more than randomness: the same seed gives the same
 * split; rows that share a prompt never straddle train and validation (otherwise the evaluation measures
 * memorisation); and for classification-like data every label keeps its share to within one row, so a
 * rare label is not missing from validation by bad luck.
 */
public final class SplitPlanner {

    /** Stratify automatically when responses take at most this many distinct values... */
    static final int AUTO_STRATIFY_MAX_LABELS = 32;
    /** ...and each label has on average at least this many rows. */
    static final int AUTO_STRATIFY_MIN_ROWS_PER_LABEL = 5;

    private SplitPlanner() {
    }

    /** Whether responses look like labels: few distinct values, each seen several times. */
    public static boolean looksLikeLabels(int distinctLabels, boolean labelsOverflowed, int rows) {
        return !labelsOverflowed && distinctLabels >= 2 && distinctLabels <= AUTO_STRATIFY_MAX_LABELS
                && rows >= distinctLabels * AUTO_STRATIFY_MIN_ROWS_PER_LABEL;
    }

    public static SplitPlan plan(List<RowEntry> rows, double validationFraction, long seed, boolean stratify) {
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be between 0 and 1, was " + validationFraction);
        }
        int n = rows.size();
        int target = n < 2 ? 0 : (int) Math.max(1, Math.min(n - 1, Math.round(n * validationFraction)));

        // Rows sharing a normalised input form one group; groups are what gets assigned.
        Map<Long, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            groups.computeIfAbsent(rows.get(i).inputHash(), k -> new ArrayList<>()).add(i);
        }
        // Strata keyed by the label of a group's first row (one stratum when not stratifying), in label order.
        TreeMap<Integer, List<List<Integer>>> strata = new TreeMap<>();
        for (List<Integer> group : groups.values()) {
            int label = stratify ? rows.get(group.get(0)).labelId() : 0;
            strata.computeIfAbsent(label, k -> new ArrayList<>()).add(group);
        }
        int[] quotas = quotas(strata, n, target);

        Random random = new Random(seed);
        BitSet validation = new BitSet(n);
        int chosen = 0;
        int s = 0;
        for (List<List<Integer>> stratum : strata.values()) {
            List<List<Integer>> order = new ArrayList<>(stratum);
            Collections.shuffle(order, random);
            int remaining = quotas[s++];
            for (List<Integer> group : order) {
                if (remaining == 0) {
                    break;
                }
                if (group.size() <= remaining) {
                    group.forEach(validation::set);
                    remaining -= group.size();
                    chosen += group.size();
                }
            }
        }
        return new SplitPlan(validation, n, chosen, stratify, leakage(rows, validation));
    }

    /** Largest-remainder apportionment of {@code target} over the strata by their row counts. */
    private static int[] quotas(TreeMap<Integer, List<List<Integer>>> strata, int n, int target) {
        int[] quotas = new int[strata.size()];
        double[] remainders = new double[strata.size()];
        int assigned = 0;
        int i = 0;
        for (List<List<Integer>> stratum : strata.values()) {
            int size = stratum.stream().mapToInt(List::size).sum();
            double exact = n == 0 ? 0 : (double) size * target / n;
            quotas[i] = (int) Math.floor(exact);
            remainders[i] = exact - quotas[i];
            assigned += quotas[i];
            i++;
        }
        while (assigned < target) {
            int best = 0;
            for (int j = 1; j < remainders.length; j++) {
                if (remainders[j] > remainders[best]) {
                    best = j;
                }
            }
            quotas[best]++;
            remainders[best] = -1;
            assigned++;
        }
        return quotas;
    }

    private static long leakage(List<RowEntry> rows, BitSet validation) {
        Set<Long> trainInputs = new HashSet<>();
        for (int i = 0; i < rows.size(); i++) {
            if (!validation.get(i)) {
                trainInputs.add(rows.get(i).inputHash());
            }
        }
        long leaked = 0;
        for (int i = validation.nextSetBit(0); i >= 0; i = validation.nextSetBit(i + 1)) {
            if (trainInputs.contains(rows.get(i).inputHash())) {
                leaked++;
            }
        }
        return leaked;
    }
}
