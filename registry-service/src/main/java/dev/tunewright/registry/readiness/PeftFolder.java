package dev.tunewright.registry.readiness;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunewright.engine.safetensors.SafetensorsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What an adapter folder holds, read once for all readiness checks: the parsed {@code adapter_config.json}, the
 * tensor names in {@code adapter_model.safetensors} and any tokenizer it carries. A file that cannot be read is kept
 * as a problem (with names relative to the folder), so every check can still say what it could not look at.
 *
 * @param config         the adapter config, null when it is missing or not a JSON object
 * @param configProblem  why {@code config} is null
 * @param tensors        tensor names of the weights file, empty when it cannot be read
 * @param weightsProblem why the weights file could not be read, null when it was
 */
record PeftFolder(JsonNode config, String configProblem, List<String> tensors, String weightsProblem) {

    static final String CONFIG = "adapter_config.json";
    static final String WEIGHTS = "adapter_model.safetensors";
    private static final ObjectMapper JSON = new ObjectMapper(
            JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    static PeftFolder read(Path dir) {
        JsonNode config = null;
        String configProblem = null;
        Path configFile = dir.resolve(CONFIG);
        if (!Files.isRegularFile(configFile)) {
            configProblem = CONFIG + " is missing";
        } else {
            try {
                config = JSON.readTree(configFile.toFile());
                if (config == null || !config.isObject()) {
                    config = null;
                    configProblem = CONFIG + " is not a JSON object";
                }
            } catch (IOException e) {
                configProblem = CONFIG + " is not valid JSON: " + e.getMessage().lines().findFirst().orElse("");
            }
        }
        List<String> tensors = List.of();
        String weightsProblem = null;
        Path weights = dir.resolve(WEIGHTS);
        if (!Files.isRegularFile(weights)) {
            weightsProblem = WEIGHTS + " is missing" + (Files.exists(dir.resolve("adapter_model.bin"))
                    ? " (only the pickle adapter_model.bin is there; re-save with safe_serialization=True)" : "");
        } else {
            try (SafetensorsFile file = SafetensorsFile.open(weights)) {
                tensors = List.copyOf(new TreeSet<>(file.tensors().keySet()));
            } catch (IOException e) {
                weightsProblem = WEIGHTS + " cannot be read: " + relative(e.getMessage(), dir);
            }
        }
        return new PeftFolder(config, configProblem, tensors, weightsProblem);
    }

    /** The config's {@code r}, null when there is no readable positive integer. */
    Integer rank() {
        JsonNode r = config == null ? null : config.get("r");
        return r != null && r.canConvertToInt() && r.isIntegralNumber() && r.intValue() > 0 ? r.intValue() : null;
    }

    /** Token to id, from the folder's tokenizer.json (vocabulary and added tokens) and added_tokens.json; empty without them. */
    static Map<String, Integer> tokens(Path dir) throws IOException {
        Map<String, Integer> tokens = new HashMap<>();
        Path tokenizer = dir.resolve("tokenizer.json");
        if (Files.isRegularFile(tokenizer)) {
            JsonNode root = JSON.readTree(tokenizer.toFile());
            JsonNode vocab = root.path("model").path("vocab");
            if (vocab.isObject()) {
                vocab.fields().forEachRemaining(e -> tokens.put(e.getKey(), e.getValue().asInt()));
            } else if (vocab.isArray()) {
                for (int i = 0; i < vocab.size(); i++) {
                    tokens.put(vocab.get(i).path(0).asText(), i);
                }
            }
            root.path("added_tokens").forEach(t -> tokens.put(t.path("content").asText(), t.path("id").asInt()));
        }
        Path added = dir.resolve("added_tokens.json");
        if (Files.isRegularFile(added)) {
            JSON.readTree(added.toFile()).fields().forEachRemaining(e -> tokens.put(e.getKey(), e.getValue().asInt()));
        }
        return tokens;
    }

    /** A message with the (temporary) folder's path taken out, so it reads the same wherever the check ran. */
    static String relative(String message, Path dir) {
        String text = String.valueOf(message);
        return text.replace(dir.toAbsolutePath() + "/", "").replace(dir + "/", "");
    }
}
