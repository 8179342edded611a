package dev.tunewright.engine.generate;

import java.util.List;
import java.util.Set;

/**
 * How to pick tokens and when to stop. Temperature 0 means greedy (argmax); otherwise HF's order applies:
 * temperature, then top-k, then top-p, then a draw from a {@link java.util.Random} seeded with
 * {@code seed}, so the same request gives the same tokens.
 *
 * @param topK keep the k most likely tokens; 0 disables
 * @param topP keep the smallest set whose probability reaches p; 1 disables
 * @param eosTokenIds generation of a sequence ends when it produces any of these
 * @param stopStrings generation of a sequence ends once its decoded text contains any of these
 */
public record SamplingParams(int maxNewTokens, double temperature, double topP, int topK, long seed,
                             Set<Integer> eosTokenIds, List<String> stopStrings) {

    public SamplingParams {
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("max new tokens must be at least 1, got " + maxNewTokens);
        }
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite number >= 0, got " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top-k must be >= 0 (0 disables it), got " + topK);
        }
        eosTokenIds = Set.copyOf(eosTokenIds);
        stopStrings = List.copyOf(stopStrings);
    }

    /** Greedy decoding of at most {@code maxNewTokens}, stopping on any of {@code eosTokenIds}. */
    public static SamplingParams greedy(int maxNewTokens, Set<Integer> eosTokenIds) {
        return new SamplingParams(maxNewTokens, 0, 1, 0, 0, eosTokenIds, List.of());
    }

    public boolean isGreedy() {
        return temperature == 0;
    }
}
