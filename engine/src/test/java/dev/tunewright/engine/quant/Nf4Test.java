package dev.tunewright.engine.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** NF4 levels, nearest-level coding and the quantize/dequantize round trip on the Java side. */
class Nf4Test {

    @Test
    void levelsAreTheSixteenNormalFloatLevels() {
        float[] levels = Nf4.levels();
        assertThat(levels).hasSize(16);
        assertThat(levels[0]).isEqualTo(-1f);
        assertThat(levels[7]).isEqualTo(0f);
        assertThat(levels[15]).isEqualTo(1f);
        for (int i = 1; i < 16; i++) {
            assertThat(levels[i]).isGreaterThan(levels[i - 1]);
        }
        // asymmetric: 7 negative and 8 positive levels, the widest gap at the negative end
        assertThat(Nf4.largestGap()).isEqualTo(levels[1] - levels[0]);
    }

    @Test
    void codeIsTheNearestLevel() {
        Random random = new Random(5);
        for (int n = 0; n < 10_000; n++) {
            float x = random.nextFloat() * 2 - 1;
            int best = 0;
            for (int c = 1; c < 16; c++) {
                if (Math.abs(Nf4.level(c) - x) < Math.abs(Nf4.level(best) - x)) {
                    best = c;
                }
            }
            assertThat(Math.abs(Nf4.level(Nf4.code(x)) - x)).as("x=%s", x).isEqualTo(Math.abs(Nf4.level(best) - x));
        }
        for (int c = 0; c < 16; c++) {
            assertThat(Nf4.code(Nf4.level(c))).isEqualTo(c);
        }
        assertThat(Nf4.code(-3f)).isZero();
        assertThat(Nf4.code(3f)).isEqualTo(15);
    }

    @Test
    void randomNormalWeightsStayWithinHalfTheLargestGapTimesTheBlockAbsmax() {
        Random random = new Random(11);
        int out = 96;
        int in = 160; // 15,360 values: 240 blocks of 64, one partial second-level block
        float[] w = new float[out * in];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (0.02 * random.nextGaussian());
        }
        QuantizedWeight q = Nf4.quantize(w, out, in);
        float[] back = Nf4.dequantize(q);
        float[] scales = q.scales().dequantize();
        double halfGap = Nf4.largestGap() / 2;
        double sumError = 0;
        double sumAbs = 0;
        for (int b = 0; b < q.blockCount(); b++) {
            float absmax = 0;
            for (int i = b * 64; i < b * 64 + 64; i++) {
                absmax = Math.max(absmax, Math.abs(w[i]));
            }
            // the 4-bit error, plus what double quantization moved the block's absmax by (|level| ≤ 1)
            double bound = halfGap * absmax + Math.abs(scales[b] - absmax) + 1e-7;
            for (int i = b * 64; i < b * 64 + 64; i++) {
                assertThat((double) Math.abs(back[i] - w[i])).as("element %d", i).isLessThanOrEqualTo(bound);
                sumError += Math.abs(back[i] - w[i]);
                sumAbs += Math.abs(w[i]);
            }
        }
        // NF4 is built for normal data: the mean error is a small fraction of the mean magnitude
        assertThat(sumError / sumAbs).isLessThan(0.12);
        assertThat(q.packedCodes()).hasSize(w.length / 2);
    }

    @Test
    void aModelSizedMatrixCostsAboutHalfAByteAndAQuarterBitPerWeight() {
        float[] w = new float[1024 * 1024];
        QuantizedWeight q = Nf4.quantize(w, 1024, 1024);
        // 0.5 for the codes, 1/64 for the 8-bit scales, 4/16384 for the second-level steps
        assertThat((double) q.bytes() / q.parameterCount()).isCloseTo(0.5 + 1.0 / 64 + 4.0 / 16384,
                org.assertj.core.data.Offset.offset(1e-5));
    }

    @Test
    void levelsTimesTheBlockAbsmaxRoundTripExactly() {
        Random random = new Random(2);
        float absmax = 0.375f;
        float[] w = new float[64 * 40];
        for (int i = 0; i < w.length; i++) {
            // every block holds -1 or 1 so its absmax is exactly `absmax`; then double quantization is exact too
            int code = i % 64 == 0 ? (random.nextBoolean() ? 0 : 15) : random.nextInt(16);
            w[i] = Nf4.level(code) * absmax;
        }
        QuantizedWeight q = Nf4.quantize(w, 40, 64);
        assertThat(q.scales().dequantize()).containsOnly(absmax);
        assertThat(Nf4.dequantize(q)).containsExactly(w);
    }

    @Test
    void partialLastBlockAndAllZeroBlocks() {
        float[] w = new float[3 * 50]; // 150 values: two full blocks and 22 in the last
        for (int i = 64; i < w.length; i++) {
            w[i] = (i % 7 - 3) * 0.1f;
        }
        QuantizedWeight q = Nf4.quantize(w, 3, 50);
        assertThat(q.blockCount()).isEqualTo(3);
        assertThat(q.packedCodes()).hasSize(3 * 32);
        float[] back = Nf4.dequantize(q);
        assertThat(back).hasSize(150);
        for (int i = 0; i < 64; i++) {
            assertThat(back[i]).isZero();
        }
        for (int i = 64; i < w.length; i++) {
            assertThat(back[i]).isCloseTo(w[i], org.assertj.core.data.Offset.offset(0.3f * 0.16f));
        }
        assertThatThrownBy(() -> Nf4.quantize(w, 3, 51)).isInstanceOf(IllegalArgumentException.class);
    }
}
