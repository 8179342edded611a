package dev.tunewright.eval.metrics;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What kind of answers a split expects, which decides the metrics and the primary metric the verdict rests on.
 * Detected from the reference answers unless a request names it.
 */
public enum TaskType {
    /** Few distinct short answers: a label. Primary metric: accuracy. */
    CLASSIFICATION("classification", "accuracy"),
    /** Answers that are JSON objects or arrays. Primary metric: mean field F1. */
    STRUCTURED("structured", "field_f1"),
    /** Anything else. Primary metric: mean sentence chrF. */
    FREE_TEXT("free_text", "chrf");

    /** Most distinct labels a classification task has. */
    static final int MAX_LABELS = 20;
    /** Longest label, in words. */
    static final int MAX_LABEL_WORDS = 6;
    /** Share of references that must be JSON for a structured task. */
    static final double JSON_SHARE = 0.9;

    private final String wireName;
    private final String primaryMetric;

    TaskType(String wireName, String primaryMetric) {
        this.wireName = wireName;
        this.primaryMetric = primaryMetric;
    }

    public String wireName() {
        return wireName;
    }

    public String primaryMetric() {
        return primaryMetric;
    }

    /** The type named in a request or event ({@code classification}, {@code structured}, {@code free_text}). */
    public static TaskType of(String name) {
        String wanted = name.toLowerCase(Locale.ROOT).replace('-', '_');
        return Arrays.stream(values()).filter(t -> t.wireName.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("task type '" + name
                        + "' is not one of classification, structured, free_text (or auto)"));
    }

    /**
     * Structured when at least 90% of the references are JSON; classification when there are at most 20 distinct
     * short references (six words or fewer) and every one occurs twice on average; else free text.
     */
    public static TaskType detect(List<String> references) {
        if (references.isEmpty()) {
            return FREE_TEXT;
        }
        long json = references.stream().filter(JsonScores::isJson).count();
        if (json >= JSON_SHARE * references.size()) {
            return STRUCTURED;
        }
        Set<String> labels = new HashSet<>();
        for (String reference : references) {
            String label = Labels.normalize(reference);
            if (label.isEmpty() || label.split("\\s+").length > MAX_LABEL_WORDS) {
                return FREE_TEXT;
            }
            labels.add(label);
        }
        return labels.size() <= MAX_LABELS && 2 * labels.size() <= references.size() ? CLASSIFICATION : FREE_TEXT;
    }
}
