package dev.tunewright.engine.safetensors;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HalfFloatsTest {

    @Test
    void everyF16RoundTripsExactly() {
        for (int h = 0; h < 0x10000; h++) {
            float f = HalfFloats.f16ToFloat((short) h);
            if (Float.isNaN(f)) {
                assertThat(Float.isNaN(HalfFloats.f16ToFloat(HalfFloats.floatToF16(f)))).isTrue();
            } else {
                assertThat(HalfFloats.floatToF16(f) & 0xFFFF).as("half %04x", h).isEqualTo(h);
            }
        }
    }

    @Test
    void f16RoundsToNearestEven() {
        float one = 1f;
        float ulp = 0x1p-10f;
        assertThat(HalfFloats.floatToF16(one + ulp / 2)).isEqualTo((short) 0x3C00);
        assertThat(HalfFloats.floatToF16(one + ulp + ulp / 2)).isEqualTo((short) 0x3C02);
        assertThat(HalfFloats.floatToF16(one + ulp / 2 + 0x1p-20f)).isEqualTo((short) 0x3C01);
        assertThat(HalfFloats.floatToF16(65520f)).isEqualTo((short) 0x7C00);
        assertThat(HalfFloats.floatToF16(65519f)).isEqualTo((short) 0x7BFF);
        assertThat(HalfFloats.floatToF16(0x1p-25f)).isEqualTo((short) 0);
        assertThat(HalfFloats.floatToF16(0x1.8p-25f)).isEqualTo((short) 1);
        assertThat(HalfFloats.floatToF16(0x1.8p-24f)).isEqualTo((short) 2);
        assertThat(HalfFloats.floatToF16(0x1.ff8p-15f)).isEqualTo((short) 0x03FF);
        assertThat(HalfFloats.floatToF16(0x1.ffcp-15f)).isEqualTo((short) 0x0400);
    }

    @Test
    void everyBf16RoundTripsAndRoundsToNearestEven() {
        for (int b = 0; b < 0x10000; b++) {
            float f = HalfFloats.bf16ToFloat((short) b);
            if (!Float.isNaN(f)) {
                assertThat(HalfFloats.floatToBf16(f) & 0xFFFF).isEqualTo(b);
            }
        }
        assertThat(HalfFloats.floatToBf16(Float.intBitsToFloat(0x3F808000))).isEqualTo((short) 0x3F80);
        assertThat(HalfFloats.floatToBf16(Float.intBitsToFloat(0x3F818000))).isEqualTo((short) 0x3F82);
        assertThat(HalfFloats.floatToBf16(Float.intBitsToFloat(0x3F808001))).isEqualTo((short) 0x3F81);
        assertThat(Float.isNaN(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(Float.intBitsToFloat(0x7F800001))))).isTrue();
    }
}
