package dev.tunewright.engine.lora;

import dev.tunewright.engine.model.CausalLm;
import dev.tunewright.engine.model.Linear;
import java.util.ArrayList;
import java.util.List;
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

    /** The decoder-layer linears of {@code lm}, in model order. */
    public static List<Linear> candidates(CausalLm lm) {
        return lm.linears().stream().filter(l -> l.name().startsWith(LAYER_PREFIX)).toList();
    }

    /** Short names the family offers ({@code q_proj}, ...), sorted; what an error message lists. */
    public static List<String> validNames(CausalLm lm) {
        TreeSet<String> names = new TreeSet<>();
        candidates(lm).forEach(l -> names.add(shortName(l.name())));
        return List.copyOf(names);
    }

    /**
     * The linears selected by {@code targets}, in model order.
     *
     * @throws IllegalArgumentException naming the first entry that selects nothing, with the valid names
     */
    public static List<Linear> select(CausalLm lm, List<String> targets) {
        List<Linear> all = candidates(lm);
        if (targets.size() == 1 && targets.get(0).equals(LoraConfig.ALL_LINEAR)) {
            return all;
        }
        for (String t : targets) {
            if (all.stream().noneMatch(l -> matches(l.name(), t))) {
                throw new IllegalArgumentException("target module '" + t + "' is not a linear of this "
                        + lm.config().family().architecture() + " model; valid: " + String.join(", ", validNames(lm))
                        + " or " + LoraConfig.ALL_LINEAR);
            }
        }
        List<Linear> out = new ArrayList<>();
        for (Linear l : all) {
            if (targets.stream().anyMatch(t -> matches(l.name(), t))) {
                out.add(l);
            }
        }
        return out;
    }

    /**
     * The linears selected by a PEFT regex string ({@code target_modules} saved as one string, matched
     * against the full module name).
     */
    public static List<Linear> selectByRegex(CausalLm lm, String regex) {
        Pattern p = Pattern.compile(regex);
        return candidates(lm).stream().filter(l -> p.matcher(l.name()).matches()).toList();
    }

    /** The distinct short names of {@code linears}, sorted: what adapter_config.json lists after all-linear. */
    public static List<String> shortNames(List<Linear> linears) {
        TreeSet<String> names = new TreeSet<>();
        linears.forEach(l -> names.add(shortName(l.name())));
        return List.copyOf(names);
    }

    static boolean matches(String moduleName, String target) {
        return moduleName.equals(target) || moduleName.endsWith("." + target);
    }

    static String shortName(String moduleName) {
        return moduleName.substring(moduleName.lastIndexOf('.') + 1);
    }
}
