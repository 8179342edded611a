package dev.tunewright.cli.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tunewright.cli.Ftctl;
import dev.tunewright.engine.folder.ModelFolder;
import dev.tunewright.engine.generate.Generation;
import dev.tunewright.engine.generate.Generator;
import dev.tunewright.engine.generate.SamplingParams;
import dev.tunewright.engine.model.LanguageModel;
import dev.tunewright.engine.model.RandomCheckpoint;
import ai.djl.Device;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code score} and {@code generate} end to end on a tiny random Llama with a word-level tokenizer. */
class ScoreGenerateCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int VOCAB = 64;

    @TempDir
    static Path dir;

    record Run(int exit, String out, String err) {
        JsonNode json() throws IOException {
            return JSON.readTree(out);
        }
    }

    static Run run(Object command, String... args) {
        return run(new CommandLine(command), args);
    }

    static Run run(CommandLine cli, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @BeforeAll
    static void writeModel() throws IOException {
        ObjectNode c = JSON.createObjectNode();
        c.putArray("architectures").add("LlamaForCausalLM");
        c.put("hidden_size", 32).put("intermediate_size", 48).put("num_hidden_layers", 2)
                .put("num_attention_heads", 4).put("num_key_value_heads", 2).put("vocab_size", VOCAB)
                .put("rms_norm_eps", 1e-5).put("bos_token_id", 1).put("eos_token_id", 2).put("tie_word_embeddings", true);
        RandomCheckpoint.write(dir, c, 5, false);
        writeTokenizer(dir);
    }

    /** A word-level tokenizer: "<s>"=1, "</s>"=2, and "w4".."w63" for ids 4..63; BOS added on request. */
    static void writeTokenizer(Path dir) throws IOException {
        ObjectNode t = JSON.createObjectNode();
        t.put("version", "1.0");
        t.putNull("truncation");
        t.putNull("padding");
        ArrayNode added = t.putArray("added_tokens");
        String[] specials = {"<pad>", "<s>", "</s>", "<unk>"};
        for (int i = 0; i < specials.length; i++) {
            added.addObject().put("id", i).put("content", specials[i]).put("single_word", false).put("lstrip", false)
                    .put("rstrip", false).put("normalized", false).put("special", true);
        }
        t.putNull("normalizer");
        t.putObject("pre_tokenizer").put("type", "Whitespace");
        ObjectNode post = t.putObject("post_processor");
        post.put("type", "TemplateProcessing");
        post.putArray("single").addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 0);
        ((ArrayNode) post.get("single")).addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        post.putArray("pair").addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        ((ArrayNode) post.get("pair")).addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        ObjectNode bos = post.putObject("special_tokens").putObject("<s>");
        bos.put("id", "<s>");
        bos.putArray("ids").add(1);
        bos.putArray("tokens").add("<s>");
        t.putNull("decoder");
        ObjectNode model = t.putObject("model");
        model.put("type", "WordLevel");
        model.put("unk_token", "<unk>");
        ObjectNode vocab = model.putObject("vocab");
        for (int i = 0; i < specials.length; i++) {
            vocab.put(specials[i], i);
        }
        for (int i = specials.length; i < VOCAB; i++) {
            vocab.put("w" + i, i);
        }
        JSON.writeValue(dir.resolve("tokenizer.json").toFile(), t);
        ObjectNode config = JSON.createObjectNode();
        config.put("bos_token", "<s>").put("eos_token", "</s>").put("clean_up_tokenization_spaces", false);
        config.put("chat_template", "{{ bos_token }}{% for m in messages %}w10 {{ m['content'] }} w11 {% endfor %}"
                + "{% if add_generation_prompt %}w12{% endif %}");
        JSON.writeValue(dir.resolve("tokenizer_config.json").toFile(), config);
    }

    private static LanguageModel load() throws IOException {
        try (ModelFolder folder = ModelFolder.open(dir)) {
            return LanguageModel.load(folder, Device.cpu());
        }
    }

    @Test
    void scoreTokenIdsPrintsTheEnginesLogProbsWithANullFirst() throws IOException {
        Run run = run(new ScoreCommand(), "--model", dir.toString(), "--token-ids", "1,5,9,33", "--json", "--device", "cpu");
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode json = run.json();
        assertThat(json.get("token_ids").toString()).isEqualTo("[1,5,9,33]");
        assertThat(json.get("logprobs").get(0).isNull()).isTrue();
        try (LanguageModel model = load()) {
            double[] expected = model.logProbs(List.of(new int[] {1, 5, 9, 33})).get(0);
            for (int i = 1; i < 4; i++) {
                assertThat(json.get("logprobs").get(i).asDouble()).isCloseTo(expected[i], within(1e-6));
            }
        }
    }

    @Test
    void bothCommandsAreReachableAsFtctlModelSubcommands() throws IOException {
        Run score = run(Ftctl.commandLine(), "model", "score", "--model", dir.toString(), "--token-ids", "1,5", "--json");
        assertThat(score.exit()).as(score.err()).isZero();
        assertThat(score.json().get("token_ids").toString()).isEqualTo("[1,5]");
        Run generate = run(Ftctl.commandLine(), "model", "generate", "--model", dir.toString(), "--prompt", "w5",
                "--max-new-tokens", "2", "--json");
        assertThat(generate.exit()).as(generate.err()).isZero();
        assertThat(generate.json().get("finish_reason").asText()).isIn("stop", "length");
    }

    /** --json speaks one vocabulary: the ids of a text are token_ids and a text is text, whichever command prints them. */
    @Test
    void tokenizeRenderScoreAndGenerateNameTheSameThingsTheSameWay() throws IOException {
        Path messages = dir.resolve("vocabulary-messages.json");
        Files.writeString(messages, "[{\"role\": \"user\", \"content\": \"w5 w6\"}]");
        String model = dir.toString();
        JsonNode tokenize = json(run(Ftctl.commandLine(), "model", "tokenize", "--model", model, "--text", "w5 w6 w7", "--json"));
        JsonNode score = json(run(Ftctl.commandLine(), "model", "score", "--model", model, "--text", "w5 w6 w7", "--json"));
        JsonNode render = json(run(Ftctl.commandLine(), "model", "render", "--model", model, "--messages", messages.toString(),
                "--add-generation-prompt", "--json"));
        JsonNode generate = json(run(Ftctl.commandLine(), "model", "generate", "--model", model, "--messages",
                messages.toString(), "--max-new-tokens", "3", "--json"));

        assertThat(tokenize.get("token_ids")).isEqualTo(score.get("token_ids"));
        assertThat(render.get("text").asText()).isEqualTo("<s>w10 w5 w6 w11 w12");
        assertThat(render.get("token_ids").toString()).isEqualTo("[1,10,5,6,11,12]");
        assertThat(generate.get("text").isTextual()).isTrue();
        assertThat(generate.get("token_ids").isArray()).isTrue();
        for (JsonNode output : List.of(tokenize, score, render, generate)) {
            assertThat(output.has("ids")).isFalse();
            assertThat(output.has("rendered")).isFalse();
        }
    }

    private static JsonNode json(Run run) throws IOException {
        assertThat(run.exit()).as(run.err()).isZero();
        return run.json();
    }

    @Test
    void scoreTextTokenizesWithSpecialTokensOnRequest() throws IOException {
        Run plain = run(new ScoreCommand(), "--model", dir.toString(), "--text", "w5 w6 w7", "--json");
        assertThat(plain.exit()).as(plain.err()).isZero();
        assertThat(plain.json().get("token_ids").toString()).isEqualTo("[5,6,7]");
        Run withBos = run(new ScoreCommand(), "--model", dir.toString(), "--text", "w5 w6 w7", "--add-special-tokens", "--json");
        assertThat(withBos.json().get("token_ids").toString()).isEqualTo("[1,5,6,7]");
        Run table = run(new ScoreCommand(), "--model", dir.toString(), "--text", "w5 w6 w7");
        assertThat(table.out()).contains("token_id").contains("w6").contains("perplexity");
    }

    @Test
    void generatePrintsOnlyTheNewTokensOfGreedyDecoding() throws IOException {
        Run run = run(new GenerateCommand(), "--model", dir.toString(), "--prompt", "w5 w6", "--max-new-tokens", "6", "--json");
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode json = run.json();
        try (LanguageModel model = load()) {
            Generation expected = new Generator(model).generate(List.of(new int[] {1, 5, 6}),
                    SamplingParams.greedy(6, Set.of(2)), null).get(0);
            StringBuilder ids = new StringBuilder();
            for (int id : expected.tokenIds()) {
                ids.append(ids.length() == 0 ? "" : ",").append(id);
            }
            assertThat(json.get("token_ids").toString()).isEqualTo("[" + ids + "]");
            assertThat(json.get("finish_reason").asText()).isEqualTo(expected.finishReason().wireName());
        }
        assertThat(json.get("text").asText()).doesNotContain("w5 w6");
    }

    @Test
    void generateFromMessagesUsesTheChatTemplateAndSamplingIsSeeded(@TempDir Path tmp) throws IOException {
        Path messages = tmp.resolve("chat.json");
        Files.writeString(messages, "[{\"role\":\"user\",\"content\":\"w20 w21\"}]");
        String[] args = {"--model", dir.toString(), "--messages", messages.toString(), "--max-new-tokens", "5",
                "--temperature", "1.0", "--seed", "9", "--json"};
        Run first = run(new GenerateCommand(), args);
        Run second = run(new GenerateCommand(), args);
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).isEqualTo(second.out());
        // the template renders "<s>w10 w20 w21 w11 w12"; sampling defaults to transformers' top_k = 50
        try (LanguageModel model = load()) {
            Generation expected = new Generator(model).generate(List.of(new int[] {1, 10, 20, 21, 11, 12}),
                    new SamplingParams(5, 1.0, 1.0, 50, 9, Set.of(2), List.of()), null).get(0);
            assertThat(first.json().get("token_ids")).hasSize(expected.tokenIds().length);
            for (int i = 0; i < expected.tokenIds().length; i++) {
                assertThat(first.json().get("token_ids").get(i).asInt()).isEqualTo(expected.tokenIds()[i]);
            }
        }
    }

    @Test
    void userErrorsGoToStderrWithANonZeroExit(@TempDir Path tmp) throws IOException {
        Run missing = run(new ScoreCommand(), "--model", tmp.resolve("nope").toString(), "--token-ids", "1,2");
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.err()).startsWith("error: ").contains("nope");
        assertThat(missing.out()).isEmpty();

        Run outOfVocab = run(new ScoreCommand(), "--model", dir.toString(), "--token-ids", "1,64");
        assertThat(outOfVocab.exit()).isEqualTo(1);
        assertThat(outOfVocab.err()).contains("token id 64").contains("vocabulary");

        Run both = run(new ScoreCommand(), "--model", dir.toString(), "--token-ids", "1", "--text", "w5");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("mutually exclusive");

        Files.writeString(tmp.resolve("bad.json"), "{\"role\":\"user\"}");
        Run badMessages = run(new GenerateCommand(), "--model", dir.toString(), "--messages", tmp.resolve("bad.json").toString());
        assertThat(badMessages.exit()).isEqualTo(1);
        assertThat(badMessages.err()).contains("bad.json").contains("array");

        Run badTopP = run(new GenerateCommand(), "--model", dir.toString(), "--prompt", "w5", "--top-p", "0");
        assertThat(badTopP.exit()).isEqualTo(1);
        assertThat(badTopP.err()).contains("top-p");

        Run badDtype = run(new ScoreCommand(), "--model", dir.toString(), "--token-ids", "1,2", "--dtype", "half");
        assertThat(badDtype.exit()).isEqualTo(1);
        assertThat(badDtype.err()).contains("dtype 'half' is not one of auto, float32, bfloat16");
        assertThat(badDtype.out()).isEmpty();
    }

    @Test
    void scoresInBfloat16WhenAsked() throws IOException {
        Run float32 = run(new ScoreCommand(), "--model", dir.toString(), "--token-ids", "1,5,9", "--json");
        Run bf16 = run(new ScoreCommand(), "--model", dir.toString(), "--token-ids", "1,5,9", "--json", "--dtype", "bfloat16");
        assertThat(bf16.exit()).as(bf16.err()).isZero();
        assertThat(bf16.out()).startsWith("{\"token_ids\":[1,5,9],\"logprobs\":[null,");
        assertThat(bf16.out()).as("bf16 rounds the weights").isNotEqualTo(float32.out());
    }
}
