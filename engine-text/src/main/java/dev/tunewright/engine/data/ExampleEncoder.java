package dev.tunewright.engine.data;

import dev.tunewright.engine.chat.ChatFormatter;
import dev.tunewright.engine.rows.Row;
import dev.tunewright.engine.rows.RowContract;
import dev.tunewright.engine.tokenizer.TextTokenizer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns one conversation into a {@link TokenizedExample}: rendered with the base model's chat template when it
 * has one (else as plain text), labels on the assistant replies of weight 1 including their end-of-turn token,
 * or on everything with {@code train_on_inputs} (then per-message weights are not consulted). Over-long
 * examples keep their beginning, but only if the cut leaves every trained reply whole: a reply without its
 * end-of-turn token would teach the model to ramble on, so that is an error, as is an example with nothing to
 * train. It reads rows that passed the platform's row contract ({@link RowContract}); what can still fail here
 * depends on the base model (its chat template, its tokenizer) or on {@code max_seq_length}.
 */
public final class ExampleEncoder {

    private final DataOptions options;
    private final TemplateReplies template;
    private final PlainTextReplies plain;

    /** {@code formatter} empty: the base model has no chat template. */
    public ExampleEncoder(TextTokenizer tokenizer, Optional<ChatFormatter> formatter, DataOptions options) {
        this.options = options;
        this.template = formatter.map(f -> new TemplateReplies(f, tokenizer, options.templateKwargs())).orElse(null);
        this.plain = new PlainTextReplies(tokenizer);
    }

    public DataOptions options() {
        return options;
    }

    /**
     * A conversation given as message maps ({@code role}, {@code content}, optional {@code weight} 0 or 1 and
     * {@code name}), held to the row contract first.
     *
     * @throws dev.tunewright.engine.rows.RowException when the messages break the row contract
     * @throws ExampleException when the example cannot be trained on as written
     */
    public TokenizedExample encode(List<? extends Map<String, ?>> messages, long sourceLine) {
        return encode(RowContract.chat(messages), sourceLine);
    }

    /**
     * A row that passed the row contract ({@link RowContract}).
     *
     * @throws ExampleException when the example cannot be trained on as written
     */
    public TokenizedExample encode(Row row, long sourceLine) {
        List<Map<String, Object>> view = row.templateMessages();
        RenderedExample rendered = template != null ? template.render(view) : plain.render(view);
        int[] ids = rendered.ids();
        int[] labels = new int[ids.length];
        Arrays.fill(labels, TokenizedExample.IGNORE);
        int lastTrainedEnd = 0;
        for (RenderedExample.Reply reply : rendered.replies()) {
            boolean trained = options.trainOnInputs() || row.messages().get(reply.message()).trained();
            if (trained) {
                System.arraycopy(ids, reply.start(), labels, reply.start(), reply.end() - reply.start());
                lastTrainedEnd = Math.max(lastTrainedEnd, reply.end());
            }
        }
        if (options.trainOnInputs()) {
            System.arraycopy(ids, 0, labels, 0, ids.length);
        }
        int length = ids.length;
        boolean truncated = length > options.maxSeqLength();
        if (truncated) {
            if (lastTrainedEnd > options.maxSeqLength()) {
                throw new ExampleException("the example is " + length + " tokens and max_seq_length " + options.maxSeqLength()
                        + " cuts off the end of its last trained reply (which ends at token " + lastTrainedEnd
                        + "); raise max_seq_length or shorten the example");
            }
            length = options.maxSeqLength();
        }
        labels[0] = TokenizedExample.IGNORE;
        int trainable = 0;
        for (int i = 0; i < length; i++) {
            if (labels[i] != TokenizedExample.IGNORE) {
                trainable++;
            }
        }
        if (trainable == 0) {
            throw new ExampleException(options.trainOnInputs() ? "the example has no trainable tokens"
                    : "the example has no trainable tokens: no assistant reply of weight 1");
        }
        return new TokenizedExample(Arrays.copyOf(ids, length), Arrays.copyOf(labels, length),
                trainable, sourceLine, truncated);
    }
}
