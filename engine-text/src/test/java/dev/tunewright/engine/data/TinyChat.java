package dev.tunewright.engine.data;

import dev.tunewright.engine.chat.ChatFormatter;
import dev.tunewright.engine.chat.ChatTemplate;
import dev.tunewright.engine.tokenizer.TextTokenizer;
import dev.tunewright.engine.tokenizer.WordLevelTokenizerFiles;
import java.io.IOException;
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
        WordLevelTokenizerFiles.write(dir, VOCAB, 4);
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
