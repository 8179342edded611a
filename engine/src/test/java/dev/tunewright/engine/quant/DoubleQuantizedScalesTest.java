package dev.tunewright.engine.quant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DoubleQuantizedScalesTest {

    @Test
    void eachScaleIsWithinHalfAStepOfItsBlock() {
        Random random = new Random(4);
        float[] scales = new float[1000]; // 3 full blocks of 256 and a partial one
        for (int i = 0; i < scales.length; i++) {
            scales[i] = (float) (0.05 + 0.01 * Math.abs(random.nextGaussian()));
        }
        DoubleQuantizedScales q = DoubleQuantizedScales.quantize(scales);
        assertThat(q.codes()).hasSize(1024);
        assertThat(q.steps()).hasSize(4);
        float[] back = q.dequantize();
        double maxRelative = 0;
        for (int i = 0; i < scales.length; i++) {
            float step = q.steps()[i / 256];
            assertThat((double) Math.abs(back[i] - scales[i])).isLessThanOrEqualTo(step / 2 + 1e-8);
            maxRelative = Math.max(maxRelative, Math.abs(back[i] - scales[i]) / scales[i]);
        }
        // centring on the mean spends the 8 bits on the spread, not on the common magnitude
        assertThat(maxRelative).isLessThan(0.005);
        assertThat(q.offset()).isCloseTo(0.058f, org.assertj.core.data.Offset.offset(0.002f));
        assertThat(q.bytes()).isEqualTo(1024 + 4 * 4 + 4);
    }

    @Test
    void equalScalesAreExactAndEmptyIsEmpty() {
        float[] scales = new float[300];
        java.util.Arrays.fill(scales, 0.3f);
        assertThat(DoubleQuantizedScales.quantize(scales).dequantize()).containsOnly(0.3f);
        assertThat(DoubleQuantizedScales.quantize(new float[0]).dequantize()).isEmpty();
    }
}
