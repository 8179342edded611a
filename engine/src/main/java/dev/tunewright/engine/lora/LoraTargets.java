package dev.tunewright.engine.lora;

import dev.tunewright.engine.model.AdaptableLinear;
import dev.tunewright.engine.model.LanguageModel;
import dev.tunewright.engine.model.ModelConfig;
import dev.tunewright.engine.model.Models;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Which of a model's linears a {@code target_modules} entry selects, matched the way PEFT matches
 * names (the whole module name or a dot-separated suffix of it) so that an adapter trained here
 * touches exactly the modules PEFT and vLLM will apply it to. Only decoder-layer linears are
 * candidates: PEFT's all-linear skips the LM head, and a tied head would alias the embedding.
 */
public final class LoraTargets {

    private static final String LAYER_PREFIX = "model.layers.";

    private LoraTargets() {}

    /** The decoder-layer linears of {@code model}, in model order. */
    public static List<AdaptableLinear> candidates(LanguageModel model) {
        return model.linears().stream().filter(l -> l.name().startsWith(LAYER_PREFIX)).toList();
    }

    /**
     * The decoder-layer linears a model of {@code config} has, module name to {out, in}, from the config alone: what
     * an adapter is checked against where the base's weights are not loaded (a registry checking serving readiness).
     */
    public static Map<String, long[]> candidateShapes(ModelConfig config) {
        return Models.layout(config).layerLinears();
    }

    /** Short names the family offers ({@code q_proj}, ...), sorted; what an error message lists. */
    public static List<String> validNames(LanguageModel model) {
        TreeSet<String> names = new TreeSet<>();
        candidates(model).forEach(l -> names.add(shortName(l.name())));
        return List.copyOf(names);
    }

    /**
     * The linears selected by {@code targets}, in model order.
     *
     * @throws IllegalArgumentException naming the first entry that selects nothing, with the valid names
     */
    public static List<AdaptableLinear> select(LanguageModel model, List<String> targets) {
        List<AdaptableLinear> all = candidates(model);
        List<String> chosen = selectNames(all.stream().map(AdaptableLinear::name).toList(), targets,
                model.config().family().architecture());
        java.util.Set<String> set = new java.util.HashSet<>(chosen);
        return all.stream().filter(l -> set.contains(l.name())).toList();
    }

    /**
     * The module names among {@code candidates} (decoder-layer linears, in model order) that
     * {@code targets} select; {@code model} describes the model in the error.
     */
    public static List<String> selectNames(List<String> candidates, List<String> targets, String model) {
        if (targets.size() == 1 && targets.get(0).equals(LoraConfig.ALL_LINEAR)) {
            return candidates;
        }
        for (String t : targets) {
            if (candidates.stream().noneMatch(n -> matches(n, t))) {
                TreeSet<String> valid = new TreeSet<>();
                candidates.forEach(n -> valid.add(shortName(n)));
                throw new IllegalArgumentException("target module '" + t + "' is not a linear of this " + model
                        + " model; valid: " + String.join(", ", valid) + " or " + LoraConfig.ALL_LINEAR);
            }
        }
        return candidates.stream().filter(n -> targets.stream().anyMatch(t -> matches(n, t))).toList();
    }

    /**
     * The names selected by a PEFT regex string ({@code target_modules} saved as one string, matched
     * against the full module name).
     */
    public static List<String> selectByRegex(List<String> candidates, String regex) {
        Pattern p = Pattern.compile(regex);
        return candidates.stream().filter(n -> p.matcher(n).matches()).toList();
    }

    /** The distinct short names of {@code modules}, sorted: what adapter_config.json lists after all-linear. */
    public static List<String> shortNames(List<String> modules) {
        TreeSet<String> names = new TreeSet<>();
        modules.forEach(n -> names.add(shortName(n)));
        return List.copyOf(names);
    }

    /**
     * Whether {@code targets} select the linear named {@code moduleName}, decided from the name alone (before
     * the model exists, e.g. while it loads); the LM head and anything outside the decoder layers never are.
     */
    public static boolean selects(String moduleName, List<String> targets) {
        if (!moduleName.startsWith(LAYER_PREFIX)) {
            return false;
        }
        if (targets.size() == 1 && targets.get(0).equals(LoraConfig.ALL_LINEAR)) {
            return true;
        }
        return targets.stream().anyMatch(t -> matches(moduleName, t));
    }

    static boolean matches(String moduleName, String target) {
        return moduleName.equals(target) || moduleName.endsWith("." + target);
    }

    static String shortName(String moduleName) {
        return moduleName.substring(moduleName.lastIndexOf('.') + 1);
    }
}
