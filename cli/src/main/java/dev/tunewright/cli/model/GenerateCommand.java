package dev.tunewright.cli.model;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tunewright.cli.JsonOption;
import dev.tunewright.engine.chat.ChatTemplate;
import dev.tunewright.engine.chat.ChatTemplates;
import dev.tunewright.engine.generate.Generation;
import dev.tunewright.engine.generate.Generator;
import dev.tunewright.engine.generate.SamplingParams;
import dev.tunewright.engine.tokenizer.SpecialTokens;
import dev.tunewright.engine.tokenizer.TextTokenizer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Text generation from a prompt or a chat, locally, with the model's own EOS tokens and chat template. */
@Command(name = "generate",
        header = "Generate text from a prompt or chat messages with a local model.",
        description = {"Prints only the new text. Greedy unless a temperature is given or the model's",
                "generation_config.json asks for sampling (then its temperature/top_p/top_k are the defaults)."},
        mixinStandardHelpOptions = true)
public class GenerateCommand extends LocalModelCommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    LoadedModelOptions model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static class Input {
        @Option(names = "--prompt", paramLabel = "TEXT", description = "Raw prompt text (the tokenizer adds its special tokens).")
        String prompt;

        @Option(names = "--messages", paramLabel = "FILE.json",
                description = "Chat messages [{\"role\":...,\"content\":...}], rendered with the model's chat template and a generation prompt.")
        Path messages;
    }

    @Option(names = "--max-new-tokens", defaultValue = "128", paramLabel = "N", description = "Default: ${DEFAULT-VALUE}.")
    int maxNewTokens;

    @Option(names = "--temperature", paramLabel = "T", description = "0 for greedy; > 0 samples.")
    Double temperature;

    @Option(names = "--top-p", paramLabel = "P", description = "Nucleus sampling mass in (0, 1].")
    Double topP;

    @Option(names = "--top-k", paramLabel = "K", description = "Keep the K most likely tokens; 0 disables (transformers' default is 50).")
    Integer topK;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Sampling seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--stop", paramLabel = "TEXT", description = "Stop once the text contains this (repeatable); the text is cut before it.")
    List<String> stop = List.of();

    @Mixin
    JsonOption json;

    @Override
    int run(PrintWriter out, PrintWriter err) throws Exception {
        try (LoadedModel loaded = model.open(err)) {
            TextTokenizer tokenizer = loaded.requireTokenizer("to encode the prompt and decode the output");
            int[] prompt = encodePrompt(loaded, tokenizer);
            SamplingParams params = samplingParams(loaded, tokenizer);
            Generation generation = new Generator(loaded.model)
                    .generate(List.of(prompt), params, ids -> tokenizer.decode(ids, true)).get(0);
            String text = tokenizer.decode(generation.tokenIds(), true);
            if (generation.stopString() != null) {
                text = text.substring(0, text.indexOf(generation.stopString()));
            }
            out.println(json.requested() ? json(text, generation) : text);
            return 0;
        }
    }

    private int[] encodePrompt(LoadedModel loaded, TextTokenizer tokenizer) throws IOException {
        if (input.prompt != null) {
            return tokenizer.encode(input.prompt, true);
        }
        List<Map<String, Object>> messages = readMessages(input.messages);
        ChatTemplate template = ChatTemplates.load(loaded.dir).orElseThrow(() ->
                new IOException(loaded.dir + ": the model has no chat template, so --messages cannot be used; try --prompt"));
        SpecialTokens special = tokenizer.specialTokens();
        String rendered = template.render(messages, true, ChatTemplate.variables(
                special.bosText().orElse(null), special.eosText().orElse(null), Map.of()));
        // the template already spells out BOS and control tokens, as apply_chat_template assumes
        return tokenizer.encode(rendered, false);
    }

    static List<Map<String, Object>> readMessages(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": messages file not found");
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        JsonNode list = root.isObject() && root.has("messages") ? root.get("messages") : root;
        if (!list.isArray() || list.isEmpty()) {
            throw new IOException(file + ": expected a non-empty JSON array of {\"role\", \"content\"} messages");
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode m = list.get(i);
            if (!m.isObject() || !m.path("role").isTextual() || !m.has("content")) {
                throw new IOException(file + ": message " + i + " needs a string \"role\" and a \"content\"");
            }
        }
        return JSON.convertValue(list, new TypeReference<>() {});
    }

    /** Options first, then generation_config.json, then transformers' defaults. */
    private SamplingParams samplingParams(LoadedModel loaded, TextTokenizer tokenizer) throws IOException {
        JsonNode generationConfig = readGenerationConfig(loaded.dir);
        boolean configSamples = generationConfig.path("do_sample").asBoolean(false);
        double t = temperature != null ? temperature
                : configSamples ? generationConfig.path("temperature").asDouble(1.0) : 0.0;
        double p = topP != null ? topP : configSamples ? generationConfig.path("top_p").asDouble(1.0) : 1.0;
        int k = topK != null ? topK : configSamples ? generationConfig.path("top_k").asInt(50) : 50;
        Set<Integer> eos = new LinkedHashSet<>();
        eos.addAll(tokenizer.specialTokens().eosIds());
        eos.addAll(loaded.model.config().eosTokenIds());
        return new SamplingParams(maxNewTokens, t, p, k, seed, eos, stop);
    }

    private static JsonNode readGenerationConfig(Path dir) throws IOException {
        Path file = dir.resolve("generation_config.json");
        return Files.isRegularFile(file) ? JSON.readTree(file.toFile()) : JSON.createObjectNode();
    }

    static String json(String text, Generation generation) {
        ObjectNode root = JSON.createObjectNode();
        root.put("text", text);
        var ids = root.putArray("token_ids");
        Arrays.stream(generation.tokenIds()).forEach(ids::add);
        root.put("finish_reason", generation.finishReason().wireName());
        return root.toString();
    }
}
