package dev.tunewright.engine.data;

import static dev.tunewright.engine.data.TinyChat.I;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SequencePackerTest {

    /** An example of {@code length} tokens with ids line*10+i, all but the first trained. */
    private static TokenizedExample example(long line, int length) {
        int[] ids = new int[length];
        int[] labels = new int[length];
        for (int i = 0; i < length; i++) {
            ids[i] = (int) line * 10 + i;
            labels[i] = i == 0 ? I : ids[i];
        }
        return new TokenizedExample(ids, labels, length - 1, line, false);
    }

    @Test
    void firstFitDecreasingKeepsFileOrderInsideASequence() {
        List<PackedSequence> packed = SequencePacker.pack(
                List.of(example(1, 5), example(2, 3), example(3, 4), example(4, 2)), 8);
        assertThat(packed).hasSize(2);
        PackedSequence a = packed.get(0);
        assertThat(a.sourceLines()).containsExactly(1, 2);
        assertThat(a.inputIds()).containsExactly(10, 11, 12, 13, 14, 20, 21, 22);
        assertThat(a.positionIds()).containsExactly(0, 1, 2, 3, 4, 0, 1, 2);
        assertThat(a.segmentIds()).containsExactly(1, 1, 1, 1, 1, 2, 2, 2);
        assertThat(a.labels()).as("the last token of line 1 must not learn to predict line 2's first token")
                .containsExactly(I, 11, 12, 13, 14, I, 21, 22);
        assertThat(packed.get(1).sourceLines()).containsExactly(3, 4);
        assertThat(packed.get(1).trainableTokens()).isEqualTo(3 + 1);
        assertThat(SequencePacker.pack(List.of(example(1, 5), example(2, 3), example(3, 4), example(4, 2)), 8)).isEqualTo(packed);
    }

    @Test
    void maskIsBlockDiagonalAndCausal() {
        PackedSequence p = SequencePacker.concat(List.of(example(1, 2), example(2, 2))).padTo(5, 0);
        assertThat(p.segmentIds()).containsExactly(1, 1, 2, 2, 0);
        assertThat(p.labels()).containsExactly(I, 11, I, 21, I);
        boolean[] m = p.attentionMask();
        boolean t = true;
        boolean f = false;
        assertThat(m).containsExactly(
                t, f, f, f, f,
                t, t, f, f, f,
                f, f, t, f, f,
                f, f, t, t, f,
                f, f, f, f, t);
        float[] bias = p.additiveMask();
        assertThat(bias[1 * 5 + 0]).isZero();
        assertThat(bias[2 * 5 + 1]).isEqualTo(Float.NEGATIVE_INFINITY);
    }

    @Test
    void singleExampleAndOversizeExample() {
        PackedSequence one = PackedSequence.of(example(9, 3));
        assertThat(one.positionIds()).containsExactly(0, 1, 2);
        assertThat(one.segmentIds()).containsExactly(1, 1, 1);
        assertThatThrownBy(() -> SequencePacker.pack(List.of(example(9, 3)), 2)).hasMessageContaining("line 9");
        assertThat(SequencePacker.pack(List.of(), 8)).isEmpty();
    }
}
