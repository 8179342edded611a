package dev.tunewright.engine.data;

import java.util.Arrays;

/**
 * One training example as token ids and labels, in Hugging Face's convention: {@code labels} line up with
 * {@code inputIds} (not shifted; the loss compares the logits at position t with {@code labels[t + 1]}) and
 * {@link #IGNORE} marks tokens that are not trained. {@code labels[0]} is always ignored: no position predicts
 * the first token, so masking it keeps {@code trainableTokens} exact and lets examples be concatenated into
 * packed sequences without one example's last position learning to predict the next one's first token.
 * Arrays are copied in and out, so an instance cannot change after it was checked.
 *
 * @param sourceLine the 1-based line of the example in its JSONL file (0 when it came from no file)
 * @param truncated  whether untrained tokens past {@code max_seq_length} were cut off
 */
public record TokenizedExample(int[] inputIds, int[] labels, int trainableTokens, long sourceLine, boolean truncated) {

    /** The label value cross-entropy skips, as in PyTorch's and Hugging Face's default {@code ignore_index}. */
    public static final int IGNORE = -100;

    public TokenizedExample {
        if (inputIds.length != labels.length) {
            throw new IllegalArgumentException("inputIds and labels differ in length: " + inputIds.length + " vs " + labels.length);
        }
        if (inputIds.length == 0) {
            throw new IllegalArgumentException("an example needs at least one token");
        }
        if (labels[0] != IGNORE) {
            throw new IllegalArgumentException("labels[0] must be IGNORE: no position predicts the first token");
        }
        int counted = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != IGNORE) {
                if (labels[i] != inputIds[i]) {
                    throw new IllegalArgumentException("label " + i + " is neither IGNORE nor the input token");
                }
                counted++;
            }
        }
        if (counted != trainableTokens) {
            throw new IllegalArgumentException("trainableTokens is " + trainableTokens + " but " + counted + " labels are trained");
        }
        inputIds = inputIds.clone();
        labels = labels.clone();
    }

    @Override
    public int[] inputIds() {
        return inputIds.clone();
    }

    @Override
    public int[] labels() {
        return labels.clone();
    }

    public int length() {
        return inputIds.length;
    }

    /** Trainable tokens over all tokens: how much of the example the loss actually sees. */
    public double trainableShare() {
        return (double) trainableTokens / inputIds.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenizedExample t && Arrays.equals(inputIds, t.inputIds) && Arrays.equals(labels, t.labels)
                && trainableTokens == t.trainableTokens && sourceLine == t.sourceLine && truncated == t.truncated;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(inputIds) + Arrays.hashCode(labels);
    }

    @Override
    public String toString() {
        return "TokenizedExample[line=" + sourceLine + ", inputIds=" + Arrays.toString(inputIds) + ", labels="
                + Arrays.toString(labels) + ", trainable=" + trainableTokens + (truncated ? ", truncated" : "") + "]";
    }
}
