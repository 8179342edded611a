package dev.tunewright.engine.data;

import dev.tunewright.engine.chat.ChatFormatter;
import dev.tunewright.engine.chat.ChatTemplate;
import dev.tunewright.engine.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A word-level tokenizer written into a temp folder (WordLevel model, Whitespace pre-tokenizer, BOS added by
 * the post-processor, four special tokens), so expected ids can be read off the vocabulary below: whitespace
 * never becomes a token, and each word is one id.
 */
final class TinyChat {

    static final String CHATML = "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}"
            + "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}";

    static final List<String> VOCAB = List.of("[UNK]", "<s>", "</s>", "<|im_start|>", "<|im_end|>", "system", "user",
            "assistant", "be", "brief", "say", "hi", "hello", "there", "how", "are", "you", "fine", "thanks", "2", "+", "=",
            "4", "translate", "chat", "cat", "bye");

    static final int BOS = 1;
    static final int EOS = 2;
    static final int START = 3;
    static final int END = 4;
    static final int I = TokenizedExample.IGNORE;

    private TinyChat() {
    }

    static int id(String word) {
        int id = VOCAB.indexOf(word);
        if (id < 0) {
            throw new IllegalArgumentException(word);
        }
        return id;
    }

    static TextTokenizer tokenizer(Path dir) throws IOException {
        StringBuilder vocab = new StringBuilder();
        for (int i = 0; i < VOCAB.size(); i++) {
            vocab.append(i == 0 ? "" : ", ").append('"').append(VOCAB.get(i)).append("\": ").append(i);
        }
        StringBuilder added = new StringBuilder();
        for (int i = 1; i <= 4; i++) {
            added.append(i == 1 ? "" : ", ").append("{\"id\": ").append(i).append(", \"content\": \"").append(VOCAB.get(i))
                    .append("\", \"single_word\": false, \"lstrip\": false, \"rstrip\": false, \"normalized\": false,"
                            + " \"special\": true}");
        }
        Files.writeString(dir.resolve("tokenizer.json"), """
                {"version": "1.0", "truncation": null, "padding": null, "added_tokens": [%s],
                 "normalizer": null, "pre_tokenizer": {"type": "Whitespace"},
                 "post_processor": {"type": "TemplateProcessing",
                   "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
                   "pair": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                            {"Sequence": {"id": "B", "type_id": 1}}],
                   "special_tokens": {"<s>": {"id": "<s>", "ids": [1], "tokens": ["<s>"]}}},
                 "decoder": null,
                 "model": {"type": "WordLevel", "vocab": {%s}, "unk_token": "[UNK]"}}
                """.formatted(added, vocab));
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"bos_token\": \"<s>\", \"eos_token\": \"</s>\"}");
        return TextTokenizer.open(dir);
    }

    static ExampleEncoder encoder(TextTokenizer tok, String template, DataOptions options) {
        return new ExampleEncoder(tok, Optional.ofNullable(template).map(t -> new ChatFormatter(ChatTemplate.of(t), tok)), options);
    }

    static Map<String, Object> msg(String role, String content) {
        return Map.of("role", role, "content", content);
    }

    static Map<String, Object> msg(String role, String content, int weight) {
        return Map.of("role", role, "content", content, "weight", weight);
    }

    /** Ids of space-separated words and the special token names above. */
    static int[] ids(String words) {
        return java.util.Arrays.stream(words.split(" ")).mapToInt(TinyChat::id).toArray();
    }
}
