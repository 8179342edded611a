package dev.tunewright.engine.generate;

/**
 * The new tokens of one prompt. An EOS token that ended generation is not included; a token that
 * completed a stop string is, and {@code stopString} names the string so callers can cut the text there.
 */
public record Generation(int[] tokenIds, FinishReason finishReason, String stopString) {

    public Generation {
        tokenIds = tokenIds.clone();
    }

    @Override
    public int[] tokenIds() {
        return tokenIds.clone();
    }
}
