package dev.tunewright.cli.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tunewright.cli.JsonOption;
import dev.tunewright.engine.chat.ChatTemplates;
import dev.tunewright.engine.folder.ModelFolder;
import dev.tunewright.engine.model.ModelConfig;
import dev.tunewright.engine.safetensors.DType;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Summarises a model folder before anyone spends GPU time on it: family, size from the actual
 * weight shapes (not the model card), dtypes, vocabulary, context length and chat template.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show family, parameter count, dtype, vocabulary, context length and chat template of a model.")
public class InspectCommand extends LocalModelCommand {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Mixin
    ModelOption model;

    @Mixin
    JsonOption json;

    @Override
    int run(PrintWriter out, PrintWriter err) throws Exception {
        Map<String, Object> info;
        try (ModelFolder folder = ModelFolder.open(model.resolve(err))) {
            info = describe(folder);
        }
        if (json.requested()) {
            out.println(JSON.writeValueAsString(info));
        } else {
            info.forEach((k, v) -> out.printf(Locale.ROOT, "%-22s %s%n", k + ":", v));
        }
        return 0;
    }

    static Map<String, Object> describe(ModelFolder folder) throws java.io.IOException {
        JsonNode config = folder.config();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("path", folder.dir().toAbsolutePath().toString());
        List<String> architectures = new ArrayList<>();
        config.path("architectures").forEach(a -> architectures.add(a.asText()));
        info.put("architectures", architectures);
        try {
            ModelConfig mc = ModelConfig.fromJson(config);
            info.put("family", mc.family().name().toLowerCase(Locale.ROOT));
            info.put("supported", true);
            info.put("layers", mc.numHiddenLayers());
            info.put("hidden_size", mc.hiddenSize());
            info.put("attention_heads", mc.numAttentionHeads());
            info.put("kv_heads", mc.numKeyValueHeads());
            info.put("vocab_size", mc.vocabSize());
            info.put("context_length", mc.maxPositionEmbeddings());
            info.put("tie_word_embeddings", mc.tieWordEmbeddings());
        } catch (RuntimeException e) {
            info.put("family", config.path("model_type").asText("unknown"));
            info.put("supported", false);
            info.put("unsupported_reason", e.getMessage());
            putIfPresent(info, "vocab_size", config.path("vocab_size"));
            putIfPresent(info, "context_length", config.path("max_position_embeddings"));
        }
        long params = folder.weights().parameterCount();
        info.put("parameters", params);
        info.put("parameters_human", human(params));
        Map<String, Long> byDtype = new LinkedHashMap<>();
        for (Map.Entry<DType, Long> e : folder.weights().parametersByDtype().entrySet()) {
            byDtype.put(e.getKey().name(), e.getValue());
        }
        info.put("stored_dtypes", byDtype);
        putIfPresent(info, "torch_dtype", config.has("torch_dtype") ? config.path("torch_dtype") : config.path("dtype"));
        info.put("tensors", folder.weights().names().size());
        info.put("shards", folder.weights().shardCount());
        info.put("tokenizer", folder.tokenizerJson().isPresent());
        info.put("chat_templates", new ArrayList<>(ChatTemplates.all(folder.dir()).keySet()));
        return info;
    }

    private static void putIfPresent(Map<String, Object> info, String key, JsonNode value) {
        if (value.isNumber()) {
            info.put(key, value.numberValue());
        } else if (value.isTextual()) {
            info.put(key, value.textValue());
        }
    }

    static String human(long n) {
        if (n >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.2fB", n / 1e9);
        }
        if (n >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.1fM", n / 1e6);
        }
        if (n >= 1_000L) {
            return String.format(Locale.ROOT, "%.1fK", n / 1e3);
        }
        return Long.toString(n);
    }
}
