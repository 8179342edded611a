package dev.tunewright.eval.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Accuracy, macro-F1, per-label precision and recall and the confusion matrix of one model's outputs. The label
 * set is what the references contain; an output outside it is wrong, counted in {@link #outsideLabels} and given
 * its own column ({@link #OTHER}) of the confusion matrix, so "answered something else" is told apart from
 * "picked the wrong label".
 *
 * @param labels      the reference labels, sorted; rows of {@code confusion} follow them, columns too plus
 *                    {@link #OTHER} last
 * @param confusion   {@code confusion[expected][predicted]} counts
 * @param correct     per example 1 when right, 0 when wrong: what the bootstrap resamples
 */
public record ClassificationScores(double accuracy, double macroF1, Map<String, LabelScores> perLabel,
        List<String> labels, int[][] confusion, int outsideLabels, double[] correct) {

    public static final String OTHER = "(other)";

    /** Precision, recall and F1 of one label; 0 where undefined (nothing predicted or nothing expected). */
    public record LabelScores(double precision, double recall, double f1, int support) {
    }

    public static ClassificationScores of(List<String> expected, List<String> predicted) {
        if (expected.size() != predicted.size()) {
            throw new IllegalArgumentException(predicted.size() + " outputs for " + expected.size() + " references");
        }
        List<String> labels = new ArrayList<>(new TreeSet<>(expected.stream().map(Labels::normalize).toList()));
        Map<String, Integer> index = new LinkedHashMap<>();
        labels.forEach(l -> index.put(l, index.size()));
        int other = labels.size();
        int[][] confusion = new int[labels.size()][labels.size() + 1];
        double[] correct = new double[expected.size()];
        int outside = 0;
        int hits = 0;
        for (int i = 0; i < expected.size(); i++) {
            int row = index.get(Labels.normalize(expected.get(i)));
            Integer column = index.get(Labels.normalize(predicted.get(i)));
            if (column == null) {
                outside++;
                column = other;
            }
            confusion[row][column]++;
            if (row == column) {
                correct[i] = 1;
                hits++;
            }
        }
        Map<String, LabelScores> perLabel = new LinkedHashMap<>();
        double f1Sum = 0;
        for (int k = 0; k < labels.size(); k++) {
            int truePositives = confusion[k][k];
            int predictedAs = 0;
            int support = 0;
            for (int r = 0; r < labels.size(); r++) {
                predictedAs += confusion[r][k];
            }
            for (int c = 0; c <= labels.size(); c++) {
                support += confusion[k][c];
            }
            double precision = predictedAs == 0 ? 0 : (double) truePositives / predictedAs;
            double recall = support == 0 ? 0 : (double) truePositives / support;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perLabel.put(labels.get(k), new LabelScores(precision, recall, f1, support));
            f1Sum += f1;
        }
        double accuracy = expected.isEmpty() ? 0 : (double) hits / expected.size();
        double macroF1 = labels.isEmpty() ? 0 : f1Sum / labels.size();
        return new ClassificationScores(accuracy, macroF1, perLabel, List.copyOf(labels), confusion, outside, correct);
    }
}
