package dev.tunewright.eval.model;

import dev.tunewright.engine.chat.ChatFormatter;
import dev.tunewright.engine.chat.ChatTemplateException;
import dev.tunewright.engine.data.DataOptions;
import dev.tunewright.engine.data.ExampleEncoder;
import dev.tunewright.engine.data.PackedSequence;
import dev.tunewright.engine.generate.Generation;
import dev.tunewright.engine.generate.Generator;
import dev.tunewright.engine.generate.SamplingParams;
import dev.tunewright.engine.model.LanguageModel;
import dev.tunewright.engine.tokenizer.TextTokenizer;
import dev.tunewright.engine.train.Evaluation;
import dev.tunewright.engine.train.Trainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A base model, with or without an adapter attached, for the duration of one piece of work: prompts are built the
 * way training built them (the model's chat template with the generation prompt, or for a model without one the
 * plain-text layout training uses), and generation and scoring are the engine's.
 */
public final class ModelSession {

    private final LoadedBase base;
    private final boolean adapted;

    ModelSession(LoadedBase base, boolean adapted) {
        this.base = base;
        this.adapted = adapted;
    }

    /** Whether an adapter is applied (not merged) to this session's forward passes. */
    public boolean adapted() {
        return adapted;
    }

    public LanguageModel model() {
        return base.model;
    }

    public TextTokenizer tokenizer() {
        return base.tokenizer;
    }

    public Optional<ChatFormatter> formatter() {
        return base.formatter;
    }

    /** Tokens that end a generation: the tokenizer's EOS ids and config.json's, as generation_config lists them. */
    public Set<Integer> eosIds() {
        return base.eosIds;
    }

    /** Longest sequence the model takes, prompt and reply together. */
    public int contextLength() {
        return base.model.config().maxPositionEmbeddings();
    }

    /**
     * The prompt ids for {@code messages} (role and content each): rendered with the chat template and its
     * generation prompt; without a template, the contents encoded one by one, the first with the tokenizer's
     * special tokens, as training lays out such a model's text.
     *
     * @throws IllegalArgumentException when the template refuses the conversation
     */
    public int[] prompt(List<Map<String, Object>> messages) {
        if (base.formatter.isPresent()) {
            try {
                return base.formatter.get().prompt(messages, true, Map.of()).ids();
            } catch (ChatTemplateException e) {
                throw new IllegalArgumentException("the model's chat template refused the messages: " + e.getMessage(), e);
            }
        }
        List<int[]> parts = new ArrayList<>();
        for (int k = 0; k < messages.size(); k++) {
            parts.add(base.tokenizer.encode(String.valueOf(messages.get(k).get("content")), k == 0));
        }
        int[] ids = new int[parts.stream().mapToInt(p -> p.length).sum()];
        int at = 0;
        for (int[] part : parts) {
            System.arraycopy(part, 0, ids, at, part.length);
            at += part.length;
        }
        return ids;
    }

    /** Text of generated ids, special tokens skipped. */
    public String decode(int[] ids) {
        return base.tokenizer.decode(ids, true);
    }

    /** Number of tokens {@code text} encodes to, without special tokens. */
    public int tokenCount(String text) {
        return base.tokenizer.encode(text, false).length;
    }

    public List<Generation> generate(List<int[]> prompts, SamplingParams params, Generator.TokenListener listener) {
        return new Generator(base.model).generate(prompts, params, this::decode, listener);
    }

    /** Greedy decoding of at most {@code maxNewTokens}, ending on the model's EOS tokens. */
    public SamplingParams greedy(int maxNewTokens) {
        return SamplingParams.greedy(maxNewTokens, base.eosIds);
    }

    /** The encoder training uses for this model: the held-out loss is computed on exactly what training saw. */
    public ExampleEncoder encoder(int maxSeqLength) {
        return new ExampleEncoder(base.tokenizer, base.formatter, DataOptions.of(maxSeqLength));
    }

    /** Mean cross-entropy per trained token (the assistant replies) and greedy token accuracy, in batches. */
    public Evaluation score(List<PackedSequence> sequences, int batchSize) {
        Integer pad = base.model.config().padTokenId();
        return Trainer.evaluate(base.model, sequences, batchSize, pad == null ? 0 : pad);
    }
}
