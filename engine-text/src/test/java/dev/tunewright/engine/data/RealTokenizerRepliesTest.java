package dev.tunewright.engine.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunewright.engine.chat.ChatFormatter;
import dev.tunewright.engine.tokenizer.TextTokenizer;
import dev.tunewright.engine.tokenizer.TokenizerFixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * On the real Qwen 2.5, Llama 3.2 and Gemma 2 tokenizers and chat templates (shared fixtures; skipped with the reason
 * when absent), the trained tokens of a two-turn conversation are exactly the two replies, each closed by the
 * template's end-of-turn token, and nothing of the prompts, headers or trailing newlines. Gemma's template
 * refuses a system message, so it gets the conversation without one.
 */
class RealTokenizerRepliesTest {

    private static final List<Map<String, Object>> CONVERSATION = List.of(
            Map.of("role", "system", "content", "You answer in one sentence."),
            Map.of("role", "user", "content", "Hi there!"),
            Map.of("role", "assistant", "content", "Hello! How can I help you today?"),
            Map.of("role", "user", "content", "What is the capital of France?"),
            Map.of("role", "assistant", "content", "The capital of France is Paris."));

    @ParameterizedTest
    @CsvSource({"qwen2.5, <|im_end|>, true", "llama3.2, <|eot_id|>, true", "gemma2, <end_of_turn>, false"})
    void trainedSpansDecodeToTheRepliesAndTheirEndOfTurn(String family, String endOfTurn, boolean system) throws Exception {
        List<Map<String, Object>> conversation = system ? CONVERSATION : CONVERSATION.subList(1, CONVERSATION.size());
        Path dir = TokenizerFixtures.family(family);
        try (TextTokenizer tok = TextTokenizer.open(dir)) {
            ChatFormatter formatter = ChatFormatter.forFolder(dir, tok).orElseThrow();
            DataOptions options = DataOptions.of(4096).withTemplateKwargs(Map.of("date_string", "26 Jul 2024"));
            TokenizedExample e = new ExampleEncoder(tok, Optional.of(formatter), options).encode(conversation, 1);

            assertThat(e.inputIds()).containsExactly(formatter.prompt(conversation, false, options.templateKwargs()).ids());
            assertThat(trainedRuns(tok, e)).containsExactly(
                    "Hello! How can I help you today?" + endOfTurn, "The capital of France is Paris." + endOfTurn);
        }
    }

    /** Each maximal run of trained labels, decoded with special tokens and without clean-up. */
    private static List<String> trainedRuns(TextTokenizer tok, TokenizedExample e) {
        List<String> runs = new ArrayList<>();
        int[] labels = e.labels();
        int i = 0;
        while (i < labels.length) {
            if (labels[i] == TokenizedExample.IGNORE) {
                i++;
                continue;
            }
            int start = i;
            while (i < labels.length && labels[i] != TokenizedExample.IGNORE) {
                i++;
            }
            runs.add(tok.decode(Arrays.copyOfRange(labels, start, i), false, false));
        }
        return runs;
    }
}
