package dev.tunewright.engine.data;

import dev.tunewright.engine.chat.ChatFormatter;
import dev.tunewright.engine.chat.ChatTemplateException;
import dev.tunewright.engine.tokenizer.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Finds each assistant reply in a conversation rendered by the model's own chat template, without knowing
 * the template. A reply starts where the conversation before it, rendered with the generation prompt, ends
 * (that is exactly what the model sees at inference), and it ends after the first special token the template
 * writes after the reply's content: the end-of-turn token ({@code <|im_end|>}, {@code <|eot_id|>},
 * {@code <end_of_turn>}, {@code <|end|>}) or EOS. Whitespace the template puts after that token is not trained,
 * since generation stops at the token. The whole conversation is encoded once, and again piece by piece cut at
 * every reply boundary; if the two differ the boundaries fall inside a token and the example is refused rather
 * than trained with labels shifted by a token.
 */
final class TemplateReplies {

    private final ChatFormatter formatter;
    private final TextTokenizer tokenizer;
    private final Map<String, ?> kwargs;

    TemplateReplies(ChatFormatter formatter, TextTokenizer tokenizer, Map<String, ?> kwargs) {
        this.formatter = formatter;
        this.tokenizer = tokenizer;
        this.kwargs = kwargs;
    }

    RenderedExample render(List<Map<String, Object>> messages) {
        String full = render(messages, false);
        List<int[]> charSpans = new ArrayList<>();
        List<Integer> indices = new ArrayList<>();
        int previousEnd = 0;
        for (int k = 0; k < messages.size(); k++) {
            if (!"assistant".equals(messages.get(k).get("role"))) {
                continue;
            }
            String before = render(messages.subList(0, k), true);
            if (!full.startsWith(before) || before.length() < previousEnd) {
                throw new ExampleException("the chat template renders the conversation before message " + (k + 1)
                        + " differently from the whole conversation, so the reply cannot be located");
            }
            String through = render(messages.subList(0, k + 1), false);
            int common = commonPrefix(through, full);
            if (common <= before.length()) {
                throw new ExampleException("the chat template renders nothing for assistant message " + (k + 1));
            }
            String region = full.substring(before.length(), common);
            int end = before.length() + endOfTurn(region, (String) messages.get(k).get("content"), k);
            charSpans.add(new int[] {before.length(), end});
            indices.add(k);
            previousEnd = end;
        }
        return align(full, charSpans, indices);
    }

    private String render(List<Map<String, Object>> messages, boolean addGenerationPrompt) {
        try {
            return formatter.render(messages, addGenerationPrompt, kwargs);
        } catch (ChatTemplateException e) {
            throw new ExampleException(e.getMessage(), e);
        }
    }

    /** Offset in {@code region} just after the end-of-turn token that follows the reply's content. */
    private int endOfTurn(String region, String content, int message) {
        String text = content == null ? "" : content.strip();
        int at = text.isEmpty() ? -1 : region.indexOf(text);
        int contentEnd = at < 0 ? 0 : at + text.length();
        String tail = region.substring(contentEnd);
        for (int id : tokenizer.encode(tail, false)) {
            String token = tokenizer.decode(new int[] {id}, false, false);
            if (!token.isEmpty() && tokenizer.decode(new int[] {id}, true, false).isEmpty()) {
                int pos = tail.indexOf(token);
                if (pos >= 0) {
                    return contentEnd + pos + token.length();
                }
            }
        }
        throw new ExampleException("the chat template writes no end-of-turn or EOS token after assistant message "
                + (message + 1) + ", so the model could not learn to stop");
    }

    private RenderedExample align(String full, List<int[]> charSpans, List<Integer> indices) {
        TreeSet<Integer> cuts = new TreeSet<>(List.of(0, full.length()));
        charSpans.forEach(s -> {
            cuts.add(s[0]);
            cuts.add(s[1]);
        });
        int[] whole = tokenizer.encode(full, false);
        Map<Integer, Integer> tokenAt = new HashMap<>();
        int n = 0;
        int from = 0;
        for (int cut : cuts) {
            if (cut > from) {
                int[] piece = tokenizer.encode(full.substring(from, cut), false);
                if (n + piece.length > whole.length || !Arrays.equals(whole, n, n + piece.length, piece, 0, piece.length)) {
                    throw drift();
                }
                n += piece.length;
            }
            tokenAt.put(cut, n);
            from = cut;
        }
        if (n != whole.length) {
            throw drift();
        }
        List<RenderedExample.Reply> replies = new ArrayList<>();
        for (int i = 0; i < charSpans.size(); i++) {
            replies.add(new RenderedExample.Reply(indices.get(i), tokenAt.get(charSpans.get(i)[0]), tokenAt.get(charSpans.get(i)[1])));
        }
        return new RenderedExample(whole, replies);
    }

    private static ExampleException drift() {
        return new ExampleException("a reply boundary falls inside a token (the conversation tokenizes differently as a"
                + " whole than reply by reply), so its labels would be shifted");
    }

    private static int commonPrefix(String a, String b) {
        int n = Math.min(a.length(), b.length());
        int i = 0;
        while (i < n && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i;
    }
}
