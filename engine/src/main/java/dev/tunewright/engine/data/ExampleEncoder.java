package dev.tunewright.engine.data;

import dev.tunewright.engine.chat.ChatFormatter;
import dev.tunewright.engine.tokenizer.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns one conversation into a {@link TokenizedExample}: rendered with the base model's chat template when it
 * has one (else as plain text), labels on the assistant replies of weight 1 including their end-of-turn token,
 * or on everything with {@code train_on_inputs} (then per-message weights are not consulted). Over-long
 * examples keep their beginning, but only if the cut leaves every trained reply whole: a reply without its
 * end-of-turn token would teach the model to ramble on, so that is an error, as is an example with nothing to
 * train.
 */
public final class ExampleEncoder {

    private static final Set<String> ROLES = Set.of("system", "user", "assistant");

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
     * Messages as {@link ExampleMessages#of} gives them ({@code role}, {@code content}, optional integer
     * {@code weight} 0 or 1).
     *
     * @throws ExampleException when the example cannot be trained on as written
     */
    public TokenizedExample encode(List<Map<String, Object>> messages, long sourceLine) {
        List<Map<String, Object>> plainMessages = check(messages);
        RenderedExample rendered = template != null ? template.render(plainMessages) : plain.render(plainMessages);
        int[] ids = rendered.ids();
        int[] labels = new int[ids.length];
        Arrays.fill(labels, TokenizedExample.IGNORE);
        int lastTrainedEnd = 0;
        for (RenderedExample.Reply reply : rendered.replies()) {
            boolean trained = options.trainOnInputs() || weight(messages.get(reply.message())) == 1;
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

    /** Roles and weights checked; copies with only role and content, so no template sees the weights. */
    private static List<Map<String, Object>> check(List<Map<String, Object>> messages) {
        if (messages.isEmpty()) {
            throw new ExampleException("the example has no messages");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (int k = 0; k < messages.size(); k++) {
            Map<String, Object> m = messages.get(k);
            Object role = m.get("role");
            if (!(role instanceof String r) || !ROLES.contains(r)) {
                throw new ExampleException("message " + (k + 1) + " has role '" + role + "'; expected system, user or assistant");
            }
            if (!(m.get("content") instanceof String)) {
                throw new ExampleException("message " + (k + 1) + " has no text content");
            }
            if (weight(m) < 0) {
                throw new ExampleException("message " + (k + 1) + " has weight " + m.get("weight") + "; a weight is 0 or 1");
            }
            Map<String, Object> copy = new LinkedHashMap<>();
            copy.put("role", role);
            copy.put("content", m.get("content"));
            out.add(copy);
        }
        return out;
    }

    /** The message's weight, 1 when absent, -1 when it is not 0 or 1. */
    private static int weight(Map<String, Object> message) {
        Object w = message.getOrDefault("weight", 1);
        return w instanceof Integer i && (i == 0 || i == 1) ? i : -1;
    }
}
