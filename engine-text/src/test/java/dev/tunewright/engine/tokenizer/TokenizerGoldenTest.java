package dev.tunewright.engine.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every string golden of the real Llama 3.2, Qwen 2.5 and Gemma 2 tokenizers, reproduced exactly. */
class TokenizerGoldenTest {

    @ParameterizedTest
    @ValueSource(strings = {"llama3.2", "qwen2.5", "gemma2"})
    void reproducesEveryStringGolden(String family) throws Exception {
        Path dir = TokenizerFixtures.family(family);
        JsonNode golden = TokenizerFixtures.golden(dir);
        SoftAssertions soft = new SoftAssertions();
        try (TextTokenizer tok = TextTokenizer.open(dir)) {
            JsonNode special = golden.path("special_tokens");
            SpecialTokens st = tok.specialTokens();
            soft.assertThat(st.bos().map(SpecialTokens.Token::text).orElse(null)).isEqualTo(special.path("bos").textValue());
            soft.assertThat(st.bos().map(SpecialTokens.Token::id).orElse(null))
                    .isEqualTo(special.path("bos_id").isNull() ? null : special.path("bos_id").intValue());
            soft.assertThat(st.eos().orElseThrow()).isEqualTo(new SpecialTokens.Token(special.path("eos").textValue(), special.path("eos_id").intValue()));
            soft.assertThat(st.pad().orElseThrow()).isEqualTo(new SpecialTokens.Token(special.path("pad").textValue(), special.path("pad_id").intValue()));
            soft.assertThat(st.eosIds()).contains(special.path("eos_id").intValue());
            for (JsonNode s : golden.path("strings")) {
                String id = family + "/" + s.path("id").textValue();
                String text = s.path("text").textValue();
                int[] with = ints(s.path("ids_with_special_tokens"));
                int[] without = ints(s.path("ids_without_special_tokens"));
                soft.assertThat(tok.encode(text, true)).as(id + " ids_with_special_tokens").containsExactly(with);
                soft.assertThat(tok.encode(text, false)).as(id + " ids_without_special_tokens").containsExactly(without);
                soft.assertThat(tok.tokens(text, false)).as(id + " tokens").containsExactlyElementsOf(strings(s.path("tokens_without_special_tokens")));
                soft.assertThat(tok.decode(with, false)).as(id + " decoded_with_special").isEqualTo(s.path("decoded_with_special").textValue());
                soft.assertThat(tok.decode(with, true)).as(id + " decoded_skip_special").isEqualTo(s.path("decoded_skip_special").textValue());
                soft.assertThat(tok.decode(without, false, false)).as(id + " decoded_without_special_no_cleanup")
                        .isEqualTo(s.path("decoded_without_special_no_cleanup").textValue());
            }
        }
        soft.assertAll();
        assertThat(golden.path("strings").size()).isPositive();
    }

    /** llama.cpp's record of the Python HF tokenizer's ids (add_special_tokens=False) for tricky inputs. */
    @ParameterizedTest
    @ValueSource(strings = {"llama3.2:llama-bpe", "qwen2.5:qwen2"})
    void reproducesPythonTokenizerVectors(String spec) throws Exception {
        Path dir = TokenizerFixtures.family(spec.substring(0, spec.indexOf(':')));
        String name = "hf-python-vectors." + spec.substring(spec.indexOf(':') + 1);
        String inp = java.nio.file.Files.readString(dir.resolve(name + ".inp"));
        List<String> inputs = new ArrayList<>(List.of(inp.split("\n__ggml_vocab_test__\n", -1)));
        if (inputs.get(inputs.size() - 1).isEmpty()) {
            inputs.remove(inputs.size() - 1);
        }
        List<String> outputs = java.nio.file.Files.readAllLines(dir.resolve(name + ".out"));
        assertThat(inputs).hasSize(outputs.size()).hasSizeGreaterThan(40);
        SoftAssertions soft = new SoftAssertions();
        try (TextTokenizer tok = TextTokenizer.open(dir)) {
            for (int i = 0; i < inputs.size(); i++) {
                String line = outputs.get(i).strip();
                int[] expected = line.isEmpty() ? new int[0]
                        : java.util.Arrays.stream(line.split(" ")).mapToInt(Integer::parseInt).toArray();
                soft.assertThat(tok.encode(inputs.get(i), false)).as(name + " #" + i + " " + inputs.get(i)).containsExactly(expected);
            }
        }
        soft.assertAll();
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).intValue();
        }
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.textValue()));
        return out;
    }
}
