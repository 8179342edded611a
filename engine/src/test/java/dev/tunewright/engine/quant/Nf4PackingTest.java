package dev.tunewright.engine.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class Nf4PackingTest {

    @Test
    void twoCodesPerByteFirstInTheHighNibble() {
        assertThat(Nf4Packing.pack(new int[] {0xA, 0x3, 0xF, 0x0, 0x0, 0xF})).containsExactly(
                (byte) 0xA3, (byte) 0xF0, (byte) 0x0F);
        assertThat(Nf4Packing.unpack(new byte[] {(byte) 0xA3, (byte) 0xF0}, 3)).containsExactly(0xA, 0x3, 0xF);
    }

    @Test
    void everyCodeSequenceRoundTrips() {
        Random random = new Random(9);
        int[] codes = new int[4096];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = random.nextInt(16);
        }
        byte[] packed = Nf4Packing.pack(codes);
        assertThat(packed).hasSize(2048);
        assertThat(Nf4Packing.unpack(packed, codes.length)).containsExactly(codes);
    }

    @Test
    void refusesCodesOutOfRangeAndOddCounts() {
        assertThatThrownBy(() -> Nf4Packing.pack(new int[] {16, 0})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Nf4Packing.pack(new int[] {-1, 0})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Nf4Packing.pack(new int[] {1})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Nf4Packing.unpack(new byte[1], 3)).isInstanceOf(IllegalArgumentException.class);
    }
}
