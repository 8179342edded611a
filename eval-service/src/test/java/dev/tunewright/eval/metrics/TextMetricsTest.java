package dev.tunewright.eval.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** ROUGE-L and chrF against values worked out by hand (chrF also against sacreBLEU: ChrFInteropTest). */
class TextMetricsTest {

    @Test
    void rougeLIsTheF1OfTheLongestCommonWordSubsequence() {
        // LCS "the cat on the mat": 5 of 6 words both ways
        assertThat(RougeL.f1("The cat sat on the mat.", "the cat lay on the mat")).isCloseTo(5.0 / 6, within(1e-12));
        // LCS "b d": precision 2/2, recall 2/4, F1 2/3
        assertThat(RougeL.f1("a b c d", "b d")).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(RougeL.f1("a b", "")).isZero();
        assertThat(RougeL.f1("Grüße, Welt", "grüße welt")).as("letters of any script are words").isEqualTo(1.0);
    }

    @Test
    void chrFMatchesAHandComputedCase() {
        // "ab" against "abc": unigrams P 1, R 2/3; bigrams P 1, R 1/2; higher orders have no hypothesis or
        // reference n-grams and do not count. Averages P 1, R 7/12; F2 = 5PR / (4P + R) = 35/55
        assertThat(ChrF.sentence("ab", "abc")).isCloseTo(35.0 / 55, within(1e-12));
        assertThat(ChrF.sentence("a b", "ab")).as("whitespace is removed").isEqualTo(1.0);
        assertThat(ChrF.sentence("", "abc")).isZero();
        assertThat(ChrF.sentence("abc", "")).isZero();
        // sacreBLEU 2.6: sentence 49.59348409966008, corpus of both pairs 49.44841469725127
        assertThat(ChrF.sentence("the cat sat", "the cat sat on the mat")).isCloseTo(0.4959348409966008, within(1e-12));
        assertThat(ChrF.corpus(List.of("ab", "the cat sat"), List.of("abc", "the cat sat on the mat")))
                .isCloseTo(0.4944841469725127, within(1e-12));
    }

    @Test
    void freeTextScoresAverageOverExamples() {
        TaskScores s = TaskScores.of(TaskType.FREE_TEXT, List.of("a b c d", "same  text"), List.of("b d", " same text"), null);
        assertThat(s.metrics().get("exact_match")).isEqualTo(0.5);
        assertThat(s.metrics().get("rouge_l")).isCloseTo((2.0 / 3 + 1) / 2, within(1e-12));
        assertThat(s.primary()).hasSize(2);
        assertThat(s.metrics().get("chrf")).isCloseTo((s.primary()[0] + s.primary()[1]) / 2, within(1e-12));
    }
}
