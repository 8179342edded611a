package dev.tunewright.eval.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Accuracy, macro-F1, per-label scores and the confusion matrix against values worked out by hand. */
class ClassificationScoresTest {

    @Test
    void handComputedAccuracyMacroF1AndConfusion() {
        // expected a a b b c; answered a b b b and something outside the labels
        ClassificationScores s = ClassificationScores.of(List.of("a", "a", "b", "b", "c"),
                List.of("A.", " b", "b", "\"b\"", "zzz"));
        assertThat(s.labels()).containsExactly("a", "b", "c");
        assertThat(s.accuracy()).isEqualTo(0.6);
        // a: P 1/1, R 1/2, F1 2/3; b: P 2/3, R 1, F1 4/5; c: nothing right, F1 0
        assertThat(s.perLabel().get("a").precision()).isEqualTo(1.0);
        assertThat(s.perLabel().get("a").recall()).isEqualTo(0.5);
        assertThat(s.perLabel().get("b").f1()).isCloseTo(0.8, within(1e-12));
        assertThat(s.perLabel().get("c").f1()).isZero();
        assertThat(s.macroF1()).isCloseTo((2.0 / 3 + 0.8 + 0) / 3, within(1e-12));
        assertThat(s.outsideLabels()).isEqualTo(1);
        assertThat(s.confusion()).isDeepEqualTo(new int[][] {{1, 1, 0, 0}, {0, 2, 0, 0}, {0, 0, 0, 1}});
        assertThat(s.correct()).containsExactly(1, 0, 1, 1, 0);
    }

    @Test
    void labelsIgnoreCaseQuotesAndAFinalFullStopButNothingElse() {
        assertThat(Labels.normalize("  'Billing.' ")).isEqualTo("billing");
        assertThat(Labels.normalize("billing!")).isEqualTo("billing!");
        assertThat(Labels.normalize("billing issue")).isEqualTo("billing issue");
    }

    @Test
    void taskTypeIsDetectedFromTheReferences() {
        assertThat(TaskType.detect(List.of("red", "green", "red", "blue", "green", "blue"))).isEqualTo(TaskType.CLASSIFICATION);
        assertThat(TaskType.detect(List.of("{\"a\": 1}", "{\"a\": 2}", "[1]"))).isEqualTo(TaskType.STRUCTURED);
        assertThat(TaskType.detect(List.of("red", "green", "blue"))).as("every label once: not a label set")
                .isEqualTo(TaskType.FREE_TEXT);
        assertThat(TaskType.detect(List.of("The cat sat on the mat and looked out of the window.", "Another sentence here."))
                ).isEqualTo(TaskType.FREE_TEXT);
        assertThat(TaskType.of("free-text")).isEqualTo(TaskType.FREE_TEXT);
    }
}
