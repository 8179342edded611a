package dev.tunewright.eval.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tunewright.contracts.evaluation.Verdict;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The paired bootstrap on cases whose interval is known, and the verdict rule on top of it. */
class BootstrapTest {

    @Test
    void aConstantDifferenceHasAnIntervalOfExactlyThatDifference() {
        double[] base = {0, 0.2, 0.5, 1, 0.3};
        double[] tuned = Arrays.stream(base).map(v -> v + 0.1).toArray();
        Interval d = Bootstrap.pairedDifference(tuned, base, 2000);
        assertThat(d.value()).isCloseTo(0.1, within(1e-12));
        assertThat(d.low()).isCloseTo(0.1, within(1e-12));
        assertThat(d.high()).isCloseTo(0.1, within(1e-12));
        assertThat(Verdicts.decide(d, 0.05)).isEqualTo(Verdict.IMPROVED);
        assertThat(Verdicts.decide(d, 0.2)).as("below the margin").isEqualTo(Verdict.NO_SIGNIFICANT_IMPROVEMENT);
    }

    @Test
    void aFairCoinOfFourHundredRowsHasTheNormalInterval() {
        // 200 rows right only after fine-tuning, 200 right for both: mean difference 0.5 with standard error
        // sqrt(0.25 / 400) = 0.025, so the 95% interval is 0.5 +- 1.96 * 0.025 = [0.451, 0.549]
        double[] base = new double[400];
        double[] tuned = new double[400];
        for (int i = 0; i < 400; i++) {
            base[i] = i % 2;
            tuned[i] = 1;
        }
        Interval d = Bootstrap.pairedDifference(tuned, base, 4000);
        assertThat(d.value()).isEqualTo(0.5);
        assertThat(d.low()).isCloseTo(0.451, within(0.006));
        assertThat(d.high()).isCloseTo(0.549, within(0.006));
        assertThat(Verdicts.decide(d, 0.02)).isEqualTo(Verdict.IMPROVED);
    }

    @Test
    void noDifferenceIsNotAnImprovementAndAClearDropIsARegression() {
        double[] a = new double[200];
        double[] b = new double[200];
        for (int i = 0; i < 200; i++) {
            a[i] = i % 2;
            b[i] = (i / 2) % 2;
        }
        Interval even = Bootstrap.pairedDifference(a, b, 2000);
        assertThat(even.value()).isZero();
        assertThat(even.low()).isNegative();
        assertThat(even.high()).isPositive();
        assertThat(Verdicts.decide(even, 0)).isEqualTo(Verdict.NO_SIGNIFICANT_IMPROVEMENT);
        double[] ones = new double[200];
        Arrays.fill(ones, 1);
        assertThat(Verdicts.decide(Bootstrap.pairedDifference(a, ones, 2000), 0)).isEqualTo(Verdict.REGRESSED);
    }

    @Test
    void theSameScoresAlwaysGiveTheSameInterval() {
        double[] x = {0.1, 0.9, 0.4, 0.7, 0.3, 0.8};
        assertThat(Bootstrap.mean(x, 500)).isEqualTo(Bootstrap.mean(x, 500));
    }
}
