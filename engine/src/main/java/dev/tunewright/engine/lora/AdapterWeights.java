package dev.tunewright.engine.lora;

import dev.tunewright.engine.safetensors.SafetensorsException;
import dev.tunewright.engine.safetensors.SafetensorsFile;
import dev.tunewright.engine.safetensors.TensorInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PEFT adapter folder read and checked against the linears of one model before anything is installed
 * or merged: every tensor must be the A or B of a module the config targets, with the shapes that
 * module implies, and every targeted module must have both. An adapter trained for another model (or
 * carrying extra trained modules) therefore fails here, naming the key, instead of loading garbage.
 *
 * @param modules targeted module names, in model order
 * @param a module name to lora_A (r·in, row-major, widened to float32)
 * @param b module name to lora_B (out·r)
 */
record AdapterWeights(PeftConfigJson.Parsed parsed, List<String> modules, Map<String, float[]> a,
                             Map<String, float[]> b) {

    static final String FILE = "adapter_model.safetensors";
    private static final Pattern KEY = Pattern.compile(
            Pattern.quote(LoraLayer.PEFT_MODEL_PREFIX) + "(.+)\\.lora_([AB])\\.weight");

    LoraConfig config() {
        return parsed.config();
    }

    /**
     * @param candidates decoder-layer linears of the model, module name to {out, in}, in model order
     * @param model the model as the error messages name it, e.g. its architecture
     */
    static AdapterWeights read(Path dir, Map<String, long[]> candidates, String model) throws IOException {
        PeftConfigJson.Parsed parsed = PeftConfigJson.read(dir.resolve(PeftConfigJson.FILE));
        LoraConfig config = parsed.config();
        List<String> names = List.copyOf(candidates.keySet());
        List<String> targets;
        try {
            targets = parsed.targetRegex() != null ? LoraTargets.selectByRegex(names, parsed.targetRegex())
                    : LoraTargets.selectNames(names, config.targetModules(), model);
        } catch (IllegalArgumentException e) {
            throw new AdapterFormatException(dir.resolve(PeftConfigJson.FILE) + ": " + e.getMessage(), e);
        }
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new AdapterFormatException(file + ": missing (PEFT adapters written as .bin are not read; "
                    + "re-save with safe_serialization=True)");
        }
        Map<String, float[]> a = new LinkedHashMap<>();
        Map<String, float[]> b = new LinkedHashMap<>();
        Set<String> targeted = Set.copyOf(targets);
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            for (TensorInfo t : new TreeSet<>(st.tensors().keySet()).stream().map(st.tensors()::get).toList()) {
                Matcher m = KEY.matcher(t.name());
                if (!m.matches() || !targeted.contains(m.group(1))) {
                    throw new AdapterFormatException(file + ": tensor '" + t.name() + "' is not the lora_A or lora_B "
                            + "of a module this adapter targets in the " + model + " model"
                            + (t.name().contains("modules_to_save") ? " (modules_to_save is not supported)" : ""));
                }
                long[] shape = candidates.get(m.group(1));
                boolean isA = m.group(2).equals("A");
                long[] expected = isA ? new long[] {config.r(), shape[1]} : new long[] {shape[0], config.r()};
                if (!Arrays.equals(t.shape(), expected)) {
                    throw new AdapterFormatException(file + ": tensor '" + t.name() + "' has shape "
                            + Arrays.toString(t.shape()) + " but r=" + config.r() + " and the model's "
                            + m.group(1) + " (out, in) = " + Arrays.toString(shape) + " need " + Arrays.toString(expected));
                }
                (isA ? a : b).put(m.group(1), st.readFloats(t.name()));
            }
        } catch (SafetensorsException e) {
            throw new AdapterFormatException(file + ": " + e.getMessage(), e);
        }
        for (String module : targets) {
            if (!a.containsKey(module) || !b.containsKey(module)) {
                throw new AdapterFormatException(file + ": no tensor '" + LoraLayer.PEFT_MODEL_PREFIX + module
                        + (a.containsKey(module) ? ".lora_B" : ".lora_A") + ".weight' for targeted module " + module);
            }
        }
        return new AdapterWeights(parsed, targets, a, b);
    }
}
