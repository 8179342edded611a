package dev.tunewright.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny word-level tokenizer written for this test: no fixtures needed. */
class TextTokenizerTest {

    @TempDir
    Path dir;

    private Path tiny(String... files) throws Exception {
        for (String f : files) {
            try (var in = getClass().getResourceAsStream(f)) {
                Files.copy(in, dir.resolve(f));
            }
        }
        return dir;
    }

    @Test
    void encodesWithAndWithoutSpecialTokensAndReadsSpecialTokens() throws Exception {
        try (TextTokenizer tok = TextTokenizer.open(tiny("tokenizer.json", "tokenizer_config.json", "generation_config.json"))) {
            assertThat(tok.encode("hello world", true)).containsExactly(1, 5, 6);
            assertThat(tok.encode("hello world", false)).containsExactly(5, 6);
            assertThat(tok.tokens("hello world", false)).containsExactly("hello", "world");
            assertThat(tok.encode("<|im_start|>user", false)).containsExactly(3, 9);
            SpecialTokens st = tok.specialTokens();
            assertThat(st.bos()).contains(new SpecialTokens.Token("<s>", 1));
            assertThat(st.eos()).contains(new SpecialTokens.Token("</s>", 2));
            assertThat(st.pad()).as("pad falls back to eos").contains(new SpecialTokens.Token("</s>", 2));
            assertThat(st.eosIds()).containsExactly(4, 2);
            assertThat(tok.tokenId("<|im_end|>")).contains(4);
            assertThat(tok.tokenId("hello world")).isEmpty();
            assertThat(tok.decode(new int[0], false)).isEmpty();
            assertThat(tok.decode(new int[] {1, 5, 6}, true)).isEqualTo("hello world");
        }
    }

    @Test
    void longInputsAreNeverTruncated() throws Exception {
        try (TextTokenizer tok = TextTokenizer.open(tiny("tokenizer.json"))) {
            assertThat(tok.encode("hello ".repeat(2000), false)).hasSize(2000);
            assertThat(tok.specialTokens().bos()).isEmpty();
            assertThat(tok.specialTokens().eosIds()).isEmpty();
        }
    }

    @Test
    void cleanupFollowsConfigDefaultingToTrue() throws Exception {
        try (TextTokenizer tok = TextTokenizer.open(tiny("tokenizer.json"))) {
            int[] ids = tok.encode("hello , world ! isn ' t it ?", false);
            assertThat(tok.decode(ids, false)).isEqualTo("hello, world! isn't it?");
            assertThat(tok.decode(ids, false, false)).isEqualTo("hello , world ! isn ' t it ?");
        }
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"clean_up_tokenization_spaces\": false}");
        try (TextTokenizer tok = TextTokenizer.open(dir)) {
            assertThat(tok.decode(tok.encode("hello , world", false), false)).isEqualTo("hello , world");
        }
    }

    @Test
    void eosFromGenerationConfigWhenTokenizerConfigHasNone() throws Exception {
        tiny("tokenizer.json");
        Files.writeString(dir.resolve("generation_config.json"), "{\"bos_token_id\": 1, \"eos_token_id\": 4}");
        try (TextTokenizer tok = TextTokenizer.open(dir)) {
            assertThat(tok.specialTokens().bos()).contains(new SpecialTokens.Token("<s>", 1));
            assertThat(tok.specialTokens().eos()).contains(new SpecialTokens.Token("<|im_end|>", 4));
            assertThat(tok.specialTokens().eosIds()).isEqualTo(List.of(4));
        }
    }

    @Test
    void errorsNameTheFile() throws Exception {
        assertThatThrownBy(() -> TextTokenizer.open(dir)).hasMessageContaining("tokenizer.json");
        tiny("tokenizer.json");
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"eos_token\": \"two words\"}");
        assertThatThrownBy(() -> TextTokenizer.open(dir)).hasMessageContaining("eos_token").hasMessageContaining("two words");
        Files.writeString(dir.resolve("tokenizer_config.json"), "{");
        assertThatThrownBy(() -> TextTokenizer.open(dir)).hasMessageContaining("tokenizer_config.json");
        Files.writeString(dir.resolve("tokenizer.json"), "{\"not\": \"a tokenizer\"}");
        Files.delete(dir.resolve("tokenizer_config.json"));
        assertThatThrownBy(() -> TextTokenizer.open(dir)).hasMessageContaining("tokenizer.json");
    }
}
