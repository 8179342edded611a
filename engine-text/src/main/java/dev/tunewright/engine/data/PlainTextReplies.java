package dev.tunewright.engine.data;

import dev.tunewright.engine.tokenizer.SpecialTokens;
import dev.tunewright.engine.tokenizer.TextTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A base model without a chat template learns the raw text: the message contents back to back, with the
 * tokenizer's own special tokens at the start (whatever {@code encode(text, true)} adds, e.g. Llama's BOS)
 * and EOS after every assistant reply so the model learns to stop. Contents are joined without a separator
 * (as prompt/completion data is meant) and encoded one by one, the way inference encodes the prompt and then
 * generates the reply token by token, so no token spans a prompt/reply boundary.
 */
final class PlainTextReplies {

    private final TextTokenizer tokenizer;

    PlainTextReplies(TextTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    RenderedExample render(List<Map<String, Object>> messages) {
        SpecialTokens.Token eos = tokenizer.specialTokens().eos().orElseThrow(() -> new ExampleException(
                "the model has no chat template and its tokenizer no EOS token, so it could not learn to stop"));
        List<Integer> ids = new ArrayList<>();
        List<RenderedExample.Reply> replies = new ArrayList<>();
        for (int k = 0; k < messages.size(); k++) {
            int start = ids.size();
            for (int id : tokenizer.encode((String) messages.get(k).get("content"), k == 0)) {
                ids.add(id);
            }
            if ("assistant".equals(messages.get(k).get("role"))) {
                ids.add(eos.id());
                replies.add(new RenderedExample.Reply(k, start, ids.size()));
            }
        }
        return new RenderedExample(ids.stream().mapToInt(Integer::intValue).toArray(), replies);
    }
}
