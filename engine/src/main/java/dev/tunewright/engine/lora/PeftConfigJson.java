package dev.tunewright.engine.lora;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code adapter_config.json} as PEFT writes it. Writing spells out PEFT's usual keys with their
 * defaults so PEFT and vLLM see nothing unexpected; reading refuses every option that would change the
 * math this engine applies (DoRA, per-module rank/alpha patterns, fan_in_fan_out, trained biases, extra
 * modules to save) instead of silently ignoring it.
 */
final class PeftConfigJson {

    static final String FILE = "adapter_config.json";
    private static final ObjectMapper JSON = new ObjectMapper(
            JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    /**
     * What an adapter_config.json says: the config, and, when target_modules was saved as one string,
     * that string as a regex over full module names (PEFT's fullmatch); otherwise null.
     */
    record Parsed(LoraConfig config, String targetRegex, String baseModel, String revision) {}

    private PeftConfigJson() {}

    /** @param targetModules the resolved short names (PEFT expands all-linear before saving), or a regex */
    static ObjectNode toJson(LoraConfig c, JsonNode targetModules, String baseModel, String revision) {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("alpha_pattern");
        root.putNull("auto_mapping");
        root.put("base_model_name_or_path", baseModel);
        root.put("bias", "none");
        root.put("fan_in_fan_out", false);
        root.put("inference_mode", true);
        root.put("init_lora_weights", true);
        root.putNull("layers_pattern");
        root.putNull("layers_to_transform");
        if (c.alpha() == Math.rint(c.alpha()) && Math.abs(c.alpha()) < 1e15) {
            root.put("lora_alpha", (long) c.alpha());
        } else {
            root.put("lora_alpha", c.alpha());
        }
        root.put("lora_dropout", c.dropout());
        root.putNull("modules_to_save");
        root.put("peft_type", "LORA");
        root.put("r", c.r());
        root.putObject("rank_pattern");
        root.put("revision", revision);
        root.set("target_modules", targetModules);
        root.put("task_type", "CAUSAL_LM");
        root.put("use_dora", false);
        root.put("use_rslora", c.useRslora());
        return root;
    }

    static void write(Path file, ObjectNode json) throws IOException {
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), json);
    }

    static Parsed read(Path file) throws AdapterFormatException {
        if (!Files.isRegularFile(file)) {
            throw new AdapterFormatException(file + ": missing (not a PEFT adapter folder)");
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new AdapterFormatException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new AdapterFormatException(file + ": must be a JSON object");
        }
        requireText(file, root, "peft_type", "LORA");
        requireText(file, root, "task_type", "CAUSAL_LM");
        JsonNode modules = root.get("modules_to_save");
        if (modules != null && !modules.isNull() && !(modules.isArray() && modules.isEmpty())) {
            throw new AdapterFormatException(file + ": 'modules_to_save' " + modules + " is not supported; only "
                    + "LoRA A/B weights can be applied (fully trained modules such as lm_head are not)");
        }
        refuseUnless(file, root, "bias", "none");
        refuseTrue(file, root, "fan_in_fan_out");
        refuseTrue(file, root, "use_dora");
        refuseNonEmpty(file, root, "rank_pattern");
        refuseNonEmpty(file, root, "alpha_pattern");
        refuseNonEmpty(file, root, "layers_to_transform");
        refuseNonEmpty(file, root, "layer_replication");
        int r = requireNumber(file, root, "r").intValue();
        double alpha = requireNumber(file, root, "lora_alpha").doubleValue();
        JsonNode dropoutNode = root.get("lora_dropout");
        double dropout = dropoutNode == null || dropoutNode.isNull() ? 0 : dropoutNode.asDouble();
        boolean rslora = root.path("use_rslora").asBoolean(false);
        JsonNode targets = root.get("target_modules");
        List<String> names = new ArrayList<>();
        String regex = null;
        if (targets != null && targets.isTextual()) {
            if (targets.textValue().equals(LoraConfig.ALL_LINEAR)) {
                names.add(LoraConfig.ALL_LINEAR);
            } else {
                regex = targets.textValue();
                names.add(regex);
            }
        } else if (targets != null && targets.isArray() && !targets.isEmpty()) {
            for (JsonNode t : targets) {
                if (!t.isTextual()) {
                    throw new AdapterFormatException(file + ": 'target_modules' entry " + t + " is not a module name");
                }
                names.add(t.textValue());
            }
        } else {
            throw new AdapterFormatException(file + ": 'target_modules' must be a non-empty list or a string");
        }
        try {
            return new Parsed(new LoraConfig(r, alpha, dropout, names, rslora), regex,
                    textOrNull(root, "base_model_name_or_path"), textOrNull(root, "revision"));
        } catch (IllegalArgumentException e) {
            throw new AdapterFormatException(file + ": " + e.getMessage(), e);
        }
    }

    static ArrayNode names(List<String> names) {
        ArrayNode out = JSON.createArrayNode();
        names.forEach(out::add);
        return out;
    }

    private static String textOrNull(JsonNode root, String key) {
        JsonNode n = root.get(key);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static void requireText(Path file, JsonNode root, String key, String expected) throws AdapterFormatException {
        JsonNode n = root.get(key);
        if (n == null || !n.isTextual() || !n.textValue().equals(expected)) {
            throw new AdapterFormatException(file + ": '" + key + "' is " + n + ", expected \"" + expected + "\"");
        }
    }

    private static Number requireNumber(Path file, JsonNode root, String key) throws AdapterFormatException {
        JsonNode n = root.get(key);
        if (n == null || !n.isNumber()) {
            throw new AdapterFormatException(file + ": '" + key + "' is " + n + ", expected a number");
        }
        return n.numberValue();
    }

    private static void refuseUnless(Path file, JsonNode root, String key, String allowed) throws AdapterFormatException {
        JsonNode n = root.get(key);
        if (n != null && !n.isNull() && !n.asText().equals(allowed)) {
            throw new AdapterFormatException(file + ": '" + key + "' " + n + " is not supported (only \"" + allowed + "\")");
        }
    }

    private static void refuseTrue(Path file, JsonNode root, String key) throws AdapterFormatException {
        if (root.path(key).asBoolean(false)) {
            throw new AdapterFormatException(file + ": '" + key + "' true is not supported");
        }
    }

    private static void refuseNonEmpty(Path file, JsonNode root, String key) throws AdapterFormatException {
        JsonNode n = root.get(key);
        if (n != null && !n.isNull() && !((n.isObject() || n.isArray()) && n.isEmpty())) {
            throw new AdapterFormatException(file + ": '" + key + "' " + n + " is not supported");
        }
    }
}
