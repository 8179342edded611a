package dev.tunewright.engine.data;

import java.util.Arrays;

/**
 * Examples laid end to end in one training sequence, with what attention and the loss need to keep them apart:
 * {@code positionIds} restart at 0 at each example (so RoPE sees every example as if it stood alone) and
 * {@code segmentIds} say which example a token belongs to, numbered from 1 so that 0 can mark padding. The
 * labels of each example's first token are {@link TokenizedExample#IGNORE}, so the last token of one example
 * is never trained to predict the first token of the next. Arrays are copied in and out.
 *
 * @param sourceLines the JSONL line of each segment, in segment order
 */
public record PackedSequence(int[] inputIds, int[] labels, int[] positionIds, int[] segmentIds, long[] sourceLines) {

    public PackedSequence {
        int n = inputIds.length;
        if (labels.length != n || positionIds.length != n || segmentIds.length != n) {
            throw new IllegalArgumentException("inputIds, labels, positionIds and segmentIds must have one entry per token");
        }
        inputIds = inputIds.clone();
        labels = labels.clone();
        positionIds = positionIds.clone();
        segmentIds = segmentIds.clone();
        sourceLines = sourceLines.clone();
    }

    /** One unpacked example, so a trainer batches packed and unpacked data the same way. */
    public static PackedSequence of(TokenizedExample example) {
        int n = example.length();
        int[] positions = new int[n];
        Arrays.setAll(positions, i -> i);
        int[] segments = new int[n];
        Arrays.fill(segments, 1);
        return new PackedSequence(example.inputIds(), example.labels(), positions, segments, new long[] {example.sourceLine()});
    }

    public int length() {
        return inputIds.length;
    }

    public int trainableTokens() {
        return (int) Arrays.stream(labels).filter(l -> l != TokenizedExample.IGNORE).count();
    }

    /** Padded on the right to {@code length} with {@code padId}: segment 0, position 0, label ignored. */
    public PackedSequence padTo(int length, int padId) {
        if (length < length()) {
            throw new IllegalArgumentException("cannot pad a sequence of " + length() + " tokens to " + length);
        }
        int[] ids = Arrays.copyOf(inputIds, length);
        int[] lab = Arrays.copyOf(labels, length);
        Arrays.fill(ids, length(), length, padId);
        Arrays.fill(lab, length(), length, TokenizedExample.IGNORE);
        return new PackedSequence(ids, lab, Arrays.copyOf(positionIds, length), Arrays.copyOf(segmentIds, length), sourceLines);
    }

    @Override
    public int[] inputIds() {
        return inputIds.clone();
    }

    @Override
    public int[] labels() {
        return labels.clone();
    }

    @Override
    public int[] positionIds() {
        return positionIds.clone();
    }

    @Override
    public int[] segmentIds() {
        return segmentIds.clone();
    }

    @Override
    public long[] sourceLines() {
        return sourceLines.clone();
    }

    /**
     * The block-diagonal causal mask, row-major {@code [query * length + key]}: true where the query may attend
     * to the key (same segment, key not after query). A padding token sees only itself, so no softmax row is
     * empty (an all-masked row would turn into NaN).
     */
    public boolean[] attentionMask() {
        int n = length();
        boolean[] mask = new boolean[n * n];
        for (int q = 0; q < n; q++) {
            for (int k = 0; k <= q; k++) {
                mask[q * n + k] = segmentIds[q] == segmentIds[k] && (segmentIds[q] != 0 || k == q);
            }
        }
        return mask;
    }

    /** {@link #attentionMask()} as an additive bias: 0 where allowed, negative infinity elsewhere. */
    public float[] additiveMask() {
        boolean[] allowed = attentionMask();
        float[] bias = new float[allowed.length];
        for (int i = 0; i < allowed.length; i++) {
            bias[i] = allowed[i] ? 0f : Float.NEGATIVE_INFINITY;
        }
        return bias;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PackedSequence p && Arrays.equals(inputIds, p.inputIds) && Arrays.equals(labels, p.labels)
                && Arrays.equals(positionIds, p.positionIds) && Arrays.equals(segmentIds, p.segmentIds)
                && Arrays.equals(sourceLines, p.sourceLines);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(inputIds) + Arrays.hashCode(segmentIds);
    }

    @Override
    public String toString() {
        return "PackedSequence[length=" + length() + ", lines=" + Arrays.toString(sourceLines) + "]";
    }
}
