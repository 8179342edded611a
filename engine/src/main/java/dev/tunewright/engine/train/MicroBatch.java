package dev.tunewright.engine.train;

import dev.tunewright.engine.data.PackedSequence;
import dev.tunewright.engine.data.TokenizedExample;
import java.util.List;

/**
 * Sequences padded on the right to the longest of them, as the model's packed forward takes them. Padding
 * has segment 0, so attention keeps it apart from real tokens, and label {@link TokenizedExample#IGNORE},
 * so the loss never counts it: the pad id itself is then irrelevant and only has to be a valid token.
 *
 * @param trainableTokens labels the loss counts
 * @param realTokens tokens that are not padding, what throughput is measured in
 */
public record MicroBatch(int[][] inputIds, long[][] positionIds, int[][] segmentIds, int[][] labels,
                         int trainableTokens, int realTokens) {

    public static MicroBatch of(List<PackedSequence> sequences, int padId) {
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException("a micro-batch needs at least one sequence");
        }
        int length = sequences.stream().mapToInt(PackedSequence::length).max().orElseThrow();
        int rows = sequences.size();
        int[][] ids = new int[rows][];
        long[][] positions = new long[rows][];
        int[][] segments = new int[rows][];
        int[][] labels = new int[rows][];
        int trainable = 0;
        int real = 0;
        for (int b = 0; b < rows; b++) {
            PackedSequence s = sequences.get(b);
            trainable += s.trainableTokens();
            real += s.length();
            PackedSequence padded = s.padTo(length, padId);
            ids[b] = padded.inputIds();
            positions[b] = widen(padded.positionIds());
            segments[b] = padded.segmentIds();
            labels[b] = padded.labels();
        }
        return new MicroBatch(ids, positions, segments, labels, trainable, real);
    }

    public int rows() {
        return inputIds.length;
    }

    public int length() {
        return inputIds[0].length;
    }

    private static long[] widen(int[] values) {
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
