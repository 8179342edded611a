package dev.tunewright.engine.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.tunewright.engine.model.Torch;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The named pieces of the loop against values worked out by hand. */
class OptimizationTest {

    @Test
    void linearScheduleWarmsUpThenDecaysToZero() {
        TrainConfig c = TrainConfig.defaults().withSchedule(1e-3, 4, TrainConfig.Scheduler.LINEAR);
        // warm-up (step + 1) / (warmup + 1) of the peak, then 1 - (step - 4) / 10
        assertThat(Schedule.learningRate(c, 0, 14)).isCloseTo(2e-4, within(1e-12));
        assertThat(Schedule.learningRate(c, 3, 14)).isCloseTo(8e-4, within(1e-12));
        assertThat(Schedule.learningRate(c, 4, 14)).isCloseTo(1e-3, within(1e-12));
        assertThat(Schedule.learningRate(c, 9, 14)).isCloseTo(5e-4, within(1e-12));
        assertThat(Schedule.learningRate(c, 13, 14)).isCloseTo(1e-4, within(1e-12));
        assertThat(Schedule.learningRate(c, 14, 14)).isZero();
    }

    @Test
    void cosineScheduleFollowsHalfACosine() {
        TrainConfig c = TrainConfig.defaults().withSchedule(1e-3, 4, TrainConfig.Scheduler.COSINE);
        assertThat(Schedule.learningRate(c, 4, 14)).isCloseTo(1e-3, within(1e-12));
        assertThat(Schedule.learningRate(c, 6, 14)).isCloseTo(0.5e-3 * (1 + Math.cos(0.2 * Math.PI)), within(1e-12));
        assertThat(Schedule.learningRate(c, 9, 14)).isCloseTo(5e-4, within(1e-12));
        assertThat(Schedule.learningRate(c, 13, 14)).isCloseTo(0.5e-3 * (1 + Math.cos(0.9 * Math.PI)), within(1e-12));
        TrainConfig noWarmup = c.withSchedule(1e-3, 0, TrainConfig.Scheduler.COSINE);
        assertThat(Schedule.learningRate(noWarmup, 0, 10)).isCloseTo(1e-3, within(1e-12));
    }

    @Test
    void clippingScalesAllGradientsByOneFactor() {
        try (NDManager m = Torch.engine().newBaseManager()) {
            List<NDArray> grads = List.of(m.create(new float[] {3, 0}), m.create(new float[] {0, 4}, new Shape(1, 2)));
            assertThat(Gradients.clipByGlobalNorm(grads, 10)).isCloseTo(5, within(1e-6));
            assertThat(grads.get(0).toFloatArray()).containsExactly(3, 0);
            assertThat(Gradients.clipByGlobalNorm(grads, 1)).isCloseTo(5, within(1e-6));
            assertThat(grads.get(0).toFloatArray()).containsExactly(new float[] {0.6f, 0}, within(1e-6f));
            assertThat(grads.get(1).toFloatArray()).containsExactly(new float[] {0, 0.8f}, within(1e-6f));
            assertThat(Gradients.globalNorm(grads)).isCloseTo(1, within(1e-5));
            Gradients.zero(grads);
            assertThat(Gradients.globalNorm(grads)).isZero();
        }
    }

    @Test
    void adamWMatchesAHandComputedStepAndDecaysMatricesOnly() {
        double lr = 0.1;
        double wd = 0.1;
        try (NDManager m = Torch.engine().newBaseManager()) {
            NDArray matrix = m.create(new float[] {1, -2, 3, 0.5f}, new Shape(2, 2));
            NDArray vector = m.create(new float[] {0.5f, -1});
            Map<String, NDArray> params = new LinkedHashMap<>();
            params.put("w", matrix);
            params.put("b", vector);
            try (AdamW adam = new AdamW(m.newSubManager(), 0.9, 0.999, 1e-8, wd)) {
                // step 1: m̂ = g and v̂ = g², so the step is lr·g/(|g| + eps) ≈ lr·sign(g); decay 1 - lr·wd on w only
                try (NDManager step = m.newSubManager()) {
                    adam.update(params, List.of(step.create(new float[] {0.5f, -0.25f, 2, 0}, new Shape(2, 2)),
                            step.create(new float[] {1, -3})), lr, step);
                }
                assertThat(matrix.toFloatArray()).containsExactly(
                        new float[] {0.99f - 0.1f, -1.98f + 0.1f, 2.97f - 0.1f, 0.495f}, within(1e-6f));
                assertThat(vector.toFloatArray()).containsExactly(new float[] {0.4f, -0.9f}, within(1e-6f));
                // step 2 against the formulas in double precision
                float[] g1 = {0.5f, -0.25f, 2, 0};
                float[] g2 = {-1, 0.5f, 1, 2};
                float[] before = matrix.toFloatArray();
                try (NDManager step = m.newSubManager()) {
                    adam.update(params, List.of(step.create(g2, new Shape(2, 2)), step.create(new float[] {1, 1})), lr, step);
                }
                float[] after = matrix.toFloatArray();
                for (int i = 0; i < 4; i++) {
                    double m2 = 0.9 * 0.1 * g1[i] + 0.1 * g2[i];
                    double v2 = 0.999 * 0.001 * g1[i] * g1[i] + 0.001 * g2[i] * g2[i];
                    double mHat = m2 / (1 - 0.81);
                    double vHat = v2 / (1 - 0.999 * 0.999);
                    double expected = before[i] * (1 - lr * wd) - lr * mHat / (Math.sqrt(vHat) + 1e-8);
                    assertThat((double) after[i]).isCloseTo(expected, within(1e-5));
                }
                assertThat(adam.steps()).isEqualTo(2);
                assertThat(adam.moments()).containsOnlyKeys("w.exp_avg", "b.exp_avg", "w.exp_avg_sq", "b.exp_avg_sq");
            }
            // moments and scalars of the updates went to the step scopes, none stayed behind
            assertThat(m.getManagedArrays()).hasSize(2);
        }
    }

    @Test
    void lossIsTheSumOverTrainedLabelsOnlyAndPaddingAddsNothing() {
        int ignore = dev.tunewright.engine.data.TokenizedExample.IGNORE;
        try (NDManager m = Torch.engine().newBaseManager()) {
            // (B=2, T=3, V=3): row 0 is 3 tokens with labels at t = 1, 2; row 1 is 2 tokens + 1 padding
            float[] values = {
                1, 2, 3, 0, 0, 1, 9, 9, 9,
                2, 0, 0, 5, 5, 5, 7, 0, 7};
            NDArray logits = m.create(values, new Shape(2, 3, 3));
            int[][] labels = {{ignore, 2, 0}, {ignore, 1, ignore}};
            double expected = -logSoftmax(values, 0, 2) - logSoftmax(values, 3, 0) - logSoftmax(values, 9, 1);
            assertThat((double) TokenLoss.sum(m, logits, labels).getFloat()).isCloseTo(expected, within(1e-5));
            // argmax hits: position (0,0) → 2 yes, (0,1) → 0? logits {0,0,1} argmax 2, no; (1,0) → 1? argmax 0, no
            assertThat(TokenLoss.correct(m, logits, labels)).isEqualTo(1);
            // the padded position's logits (row 1, t = 2) can be anything
            values[15] = 1000;
            NDArray changed = m.create(values, new Shape(2, 3, 3));
            assertThat((double) TokenLoss.sum(m, changed, labels).getFloat()).isCloseTo(expected, within(1e-5));
        }
    }

    private static double logSoftmax(float[] v, int from, int index) {
        double max = Math.max(v[from], Math.max(v[from + 1], v[from + 2]));
        double sum = 0;
        for (int i = 0; i < 3; i++) {
            sum += Math.exp(v[from + i] - max);
        }
        return v[from + index] - max - Math.log(sum);
    }

    @Test
    void dataOrderIsAFunctionOfSeedAndEpoch() {
        DataOrder order = new DataOrder(5, 7, 0, 0);
        List<int[]> first = order.nextStep(2, 2);
        assertThat(first).hasSize(2);
        List<int[]> rest = order.nextStep(2, 2);
        assertThat(rest).hasSize(1);
        assertThat(rest.get(0)).hasSize(1);
        assertThat(order.epoch()).isEqualTo(1);
        int[] epoch0 = DataOrder.permutation(5, 7, 0);
        assertThat(new int[] {first.get(0)[0], first.get(0)[1], first.get(1)[0], first.get(1)[1], rest.get(0)[0]})
                .containsExactly(epoch0);
        assertThat(DataOrder.permutation(5, 7, 1)).isNotEqualTo(epoch0).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
        // a run resumed mid-epoch sees the same order
        DataOrder resumed = new DataOrder(5, 7, 0, 2);
        assertThat(resumed.nextStep(2, 1).get(0)).containsExactly(epoch0[2], epoch0[3]);
    }
}
