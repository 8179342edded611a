package dev.tunewright.cli.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunewright.engine.safetensors.DType;
import dev.tunewright.engine.safetensors.SafetensorsWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The model commands on a tiny word-level tokenizer and a tiny Llama-shaped checkpoint written here. */
class ModelCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void tokenizerFolder() throws Exception {
        Map<String, Integer> vocab = Map.of("[UNK]", 0, "<s>", 1, "</s>", 2, "<|im_start|>", 3, "<|im_end|>", 4,
                "hello", 5, "world", 6, "user", 7, "assistant", 8);
        List<Map<String, Object>> added = List.of(special(1, "<s>"), special(2, "</s>"), special(3, "<|im_start|>"),
                special(4, "<|im_end|>"));
        Map<String, Object> tokenizer = Map.of(
                "version", "1.0",
                "added_tokens", added,
                "pre_tokenizer", Map.of("type", "Whitespace"),
                "post_processor", Map.of("type", "TemplateProcessing",
                        "single", List.of(Map.of("SpecialToken", Map.of("id", "<s>", "type_id", 0)),
                                Map.of("Sequence", Map.of("id", "A", "type_id", 0))),
                        "pair", List.of(Map.of("Sequence", Map.of("id", "A", "type_id", 0)),
                                Map.of("Sequence", Map.of("id", "B", "type_id", 1))),
                        "special_tokens", Map.of("<s>", Map.of("id", "<s>", "ids", List.of(1), "tokens", List.of("<s>")))),
                "model", Map.of("type", "WordLevel", "vocab", vocab, "unk_token", "[UNK]"));
        JSON.writeValue(dir.resolve("tokenizer.json").toFile(), tokenizer);
        JSON.writeValue(dir.resolve("tokenizer_config.json").toFile(), Map.of("bos_token", "<s>", "eos_token", "</s>",
                "chat_template", "{{ bos_token }}{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n"
                        + "{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}{{ suffix }}"));
    }

    private static Map<String, Object> special(int id, String content) {
        return Map.of("id", id, "content", content, "single_word", false, "lstrip", false, "rstrip", false,
                "normalized", false, "special", true);
    }

    private int run(String... args) {
        CommandLine cl = new CommandLine(new ModelCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void tokenizeOnTokenizerOnlyFolder() throws Exception {
        assertThat(run("tokenize", "--model", dir.toString(), "--text", "hello world", "--add-special-tokens", "--json"))
                .isZero();
        JsonNode result = JSON.readTree(out.toString());
        assertThat(result.path("token_ids").toString()).isEqualTo("[1,5,6]");
        assertThat(result.path("tokens").toString()).isEqualTo("[\"<s>\",\"hello\",\"world\"]");
        out.getBuffer().setLength(0);
        assertThat(run("tokenize", "--model", dir.toString(), "--text", "hello world")).isZero();
        assertThat(out.toString()).contains("ids:    [5, 6]").contains("count:  2");
    }

    @Test
    void renderPrintsPromptAndIds() throws Exception {
        Path messages = dir.resolve("messages.json");
        Files.writeString(messages, "[{\"role\": \"user\", \"content\": \"hello {{ 7*7 }}\"}]");
        assertThat(run("render", "--model", dir.toString(), "--messages", messages.toString(),
                "--add-generation-prompt", "--template-kwargs", "{\"suffix\": \"world\"}", "--json")).isZero();
        JsonNode result = JSON.readTree(out.toString());
        assertThat(result.path("text").textValue())
                .isEqualTo("<s><|im_start|>user\nhello {{ 7*7 }}<|im_end|>\n<|im_start|>assistant\nworld");
        assertThat(result.path("token_ids").get(0).intValue()).isEqualTo(1);
        out.getBuffer().setLength(0);
        assertThat(run("render", "--model", dir.toString(), "--messages", messages.toString())).isZero();
        assertThat(out.toString()).startsWith("<s><|im_start|>user\nhello {{ 7*7 }}<|im_end|>\n").contains("tokens\n[1, 3, 7");
    }

    @Test
    void renderErrorsGoToStderrWithNonZeroExit() throws Exception {
        Path messages = dir.resolve("messages.json");
        Files.writeString(messages, "{\"not\": \"messages\"}");
        assertThat(run("render", "--model", dir.toString(), "--messages", messages.toString())).isEqualTo(1);
        assertThat(err.toString()).startsWith("error: ").contains("messages.json");
        assertThat(out.toString()).isEmpty();
        Files.writeString(messages, "[{\"role\": \"user\", \"content\": \"x\"}]");
        Files.writeString(dir.resolve("chat_template.jinja"), "{{ raise_exception('no users here') }}");
        err.getBuffer().setLength(0);
        assertThat(run("render", "--model", dir.toString(), "--messages", messages.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("no users here").doesNotContain("at dev.");
    }

    @Test
    void inspectTinyLlama() throws Exception {
        JSON.writeValue(dir.resolve("config.json").toFile(), Map.ofEntries(
                Map.entry("architectures", List.of("LlamaForCausalLM")), Map.entry("model_type", "llama"),
                Map.entry("hidden_size", 8), Map.entry("intermediate_size", 16), Map.entry("num_hidden_layers", 1),
                Map.entry("num_attention_heads", 2), Map.entry("num_key_value_heads", 1), Map.entry("vocab_size", 9),
                Map.entry("max_position_embeddings", 64), Map.entry("torch_dtype", "bfloat16"),
                Map.entry("tie_word_embeddings", true)));
        new SafetensorsWriter()
                .add("model.embed_tokens.weight", DType.BF16, new long[] {9, 8}, new float[72])
                .add("model.norm.weight", DType.F32, new long[] {8}, new float[8])
                .write(dir.resolve("model.safetensors"));
        assertThat(run("inspect", "--model", dir.toString(), "--json")).as(err.toString()).isZero();
        JsonNode info = JSON.readTree(out.toString());
        assertThat(info.path("family").textValue()).isEqualTo("llama");
        assertThat(info.path("parameters").longValue()).isEqualTo(80);
        assertThat(info.path("stored_dtypes").path("BF16").longValue()).isEqualTo(72);
        assertThat(info.path("vocab_size").intValue()).isEqualTo(9);
        assertThat(info.path("context_length").intValue()).isEqualTo(64);
        assertThat(info.path("tokenizer").booleanValue()).isTrue();
        assertThat(info.path("chat_templates").toString()).isEqualTo("[\"default\"]");
    }

    @Test
    void inspectRefusesPickleOnlyFolder() throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"architectures\": [\"LlamaForCausalLM\"]}");
        Files.write(dir.resolve("pytorch_model.bin"), new byte[] {1});
        assertThat(run("inspect", "--model", dir.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("pickle");
    }

    @Test
    void unknownModelArgument() {
        assertThat(run("tokenize", "--model", "not a folder", "--text", "x")).isEqualTo(1);
        assertThat(err.toString()).contains("neither an existing folder nor a hub model id");
    }
}
