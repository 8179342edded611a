package dev.tunewright.engine.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tunewright.engine.model.DecoderNetwork;
import dev.tunewright.engine.model.KvCache;
import dev.tunewright.engine.model.LanguageModel;
import dev.tunewright.engine.model.Torch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Batched autoregressive generation. Prompts of different lengths are left-padded so every row's next
 * token sits in the last column; the attention mask hides the padding and position ids restart at each
 * row's first real token, so a row generates what it would generate alone.
 *
 * <p>With the KV cache (the default) the prompt is run once and each step feeds one token per row;
 * without it every step recomputes the whole sequence, which exists to check the cache and to
 * measure what it saves.
 */
public final class Generator {

    private final LanguageModel model;
    private final boolean useKvCache;

    public Generator(LanguageModel model) {
        this(model, true);
    }

    public Generator(LanguageModel model, boolean useKvCache) {
        this.model = model;
        this.useKvCache = useKvCache;
    }

    /**
     * Sees every token a row keeps (not the EOS that ends it) the moment it is chosen, before the next forward
     * pass: what a streaming response sends on, so its first chunk leaves after one step instead of the whole run.
     */
    @FunctionalInterface
    public interface TokenListener {
        void onToken(int row, int tokenId);
    }

    /**
     * @param decoder turns a row's new token ids into text for stop-string checks; may be null when
     *                {@code params} has no stop strings
     */
    public List<Generation> generate(List<int[]> prompts, SamplingParams params, Function<int[], String> decoder) {
        return generate(prompts, params, decoder, null);
    }

    /** As {@link #generate(List, SamplingParams, Function)}, telling {@code listener} (may be null) each kept token. */
    public List<Generation> generate(List<int[]> prompts, SamplingParams params, Function<int[], String> decoder,
                                     TokenListener listener) {
        // no autograd graph, also on threads where torch's grad mode is on (and with an adapter that trains)
        return Torch.withoutGradients(() -> run(prompts, params, decoder, listener));
    }

    private List<Generation> run(List<int[]> prompts, SamplingParams params, Function<int[], String> decoder,
                                 TokenListener listener) {
        if (prompts.isEmpty() || prompts.stream().anyMatch(p -> p.length == 0)) {
            throw new IllegalArgumentException("every prompt needs at least one token");
        }
        if (!params.stopStrings().isEmpty() && decoder == null) {
            throw new IllegalArgumentException("stop strings need a decoder to turn tokens into text");
        }
        DecoderNetwork network = model.network();
        int batch = prompts.size();
        int promptLength = prompts.stream().mapToInt(p -> p.length).max().orElseThrow();
        int total = promptLength + params.maxNewTokens();
        int pad = padToken(params);
        // left-padded tokens and mask, sized for the whole run: (B, prompt + max new)
        int[][] tokens = new int[batch][total];
        long[][] mask = new long[batch][total];
        for (int b = 0; b < batch; b++) {
            int[] p = prompts.get(b);
            int offset = promptLength - p.length;
            Arrays.fill(tokens[b], pad);
            System.arraycopy(p, 0, tokens[b], offset, p.length);
            Arrays.fill(mask[b], offset, total, 1L);
        }
        List<List<Integer>> generated = new ArrayList<>();
        Generation[] results = new Generation[batch];
        for (int b = 0; b < batch; b++) {
            generated.add(new ArrayList<>());
        }
        Sampler sampler = new Sampler(params);
        int vocab = network.config().vocabSize();
        try (NDManager manager = model.newManager();
             KvCache cache = useKvCache ? new KvCache(manager, network.layerCount()) : null) {
            int length = promptLength;
            for (int step = 0; step < params.maxNewTokens(); step++) {
                float[] logits = lastLogits(network, manager, tokens, mask, length, cache);
                // pick one token per unfinished row; finished rows keep feeding padding
                for (int b = 0; b < batch; b++) {
                    int next = results[b] == null ? sampler.next(logits, b * vocab, vocab) : pad;
                    tokens[b][length] = next;
                    if (results[b] == null) {
                        int kept = generated.get(b).size();
                        results[b] = finish(params, decoder, generated.get(b), next, step);
                        if (listener != null && generated.get(b).size() > kept) {
                            listener.onToken(b, next);
                        }
                    }
                }
                length++;
                if (Arrays.stream(results).allMatch(r -> r != null)) {
                    break;
                }
            }
        }
        return List.of(results);
    }

    /** The logits of the last position of every row, (B · V) row-major. */
    private static float[] lastLogits(DecoderNetwork network, NDManager manager, int[][] tokens, long[][] mask, int length,
                                      KvCache cache) {
        int batch = tokens.length;
        int from = cache == null ? 0 : cache.length();
        int[][] feed = new int[batch][];
        long[][] visible = new long[batch][];
        for (int b = 0; b < batch; b++) {
            feed[b] = Arrays.copyOfRange(tokens[b], from, length);
            visible[b] = Arrays.copyOf(mask[b], length);
        }
        try (NDManager step = manager.newSubManager()) {
            // (B, 1, V)
            NDArray logits = network.forward(step, feed, visible, cache, true);
            return logits.toFloatArray();
        }
    }

    /** Records {@code next} and returns the row's result if it ends here, else null. */
    private static Generation finish(SamplingParams params, Function<int[], String> decoder, List<Integer> row,
                                     int next, int step) {
        if (params.eosTokenIds().contains(next)) {
            return new Generation(toArray(row), FinishReason.STOP, null);
        }
        row.add(next);
        if (!params.stopStrings().isEmpty()) {
            String text = decoder.apply(toArray(row));
            for (String stop : params.stopStrings()) {
                if (text.contains(stop)) {
                    return new Generation(toArray(row), FinishReason.STOP, stop);
                }
            }
        }
        return step + 1 == params.maxNewTokens() ? new Generation(toArray(row), FinishReason.LENGTH, null) : null;
    }

    /** Padding is never attended to; any valid id works, the config's pad or eos id reads best in dumps. */
    private int padToken(SamplingParams params) {
        Integer pad = model.config().padTokenId();
        if (pad != null && pad >= 0 && pad < model.config().vocabSize()) {
            return pad;
        }
        return params.eosTokenIds().stream().filter(id -> id >= 0 && id < model.config().vocabSize())
                .findFirst().orElse(0);
    }

    private static int[] toArray(List<Integer> row) {
        return row.stream().mapToInt(Integer::intValue).toArray();
    }
}
