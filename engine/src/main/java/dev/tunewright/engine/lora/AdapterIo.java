package dev.tunewright.engine.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tunewright.engine.folder.AtomicFolder;
import dev.tunewright.engine.model.LanguageModel;
import dev.tunewright.engine.model.AdaptableLinear;
import dev.tunewright.engine.safetensors.DType;
import dev.tunewright.engine.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Saving and loading {@link LoraAdapters} in PEFT's folder layout. */
final class AdapterIo {

    private static final NDIndex ALL = new NDIndex("...");

    private AdapterIo() {}

    static void save(LoraAdapters lora, Path dir, String baseModel, String revision) throws IOException {
        AtomicFolder.write(dir, tmp -> write(lora, tmp, baseModel, revision));
    }

    /** Both PEFT files into {@code dir}, a folder that its caller writes atomically. */
    static void write(LoraAdapters lora, Path dir, String baseModel, String revision) throws IOException {
        SafetensorsWriter weights = new SafetensorsWriter().metadata("format", "pt");
        for (LoraLayer l : lora.layers()) {
            weights.add(l.keyA(), DType.F32, l.a().getShape().getShape(), l.a().toFloatArray());
            weights.add(l.keyB(), DType.F32, l.b().getShape().getShape(), l.b().toFloatArray());
        }
        PeftConfigJson.write(dir.resolve(PeftConfigJson.FILE),
                PeftConfigJson.toJson(lora.config(), targetModules(lora), baseModel, revision));
        weights.write(dir.resolve(AdapterWeights.FILE));
    }

    static LoraAdapters load(LanguageModel model, Path dir) throws IOException {
        List<AdaptableLinear> candidates = LoraTargets.candidates(model);
        AdapterWeights w = read(model, dir);
        Set<String> chosen = new HashSet<>(w.modules());
        List<AdaptableLinear> targets = candidates.stream().filter(l -> chosen.contains(l.name())).toList();
        return LoraAdapters.install(model, w.config(), targets, l -> w.a().get(l.name()), l -> w.b().get(l.name()));
    }

    /**
     * Overwrites every array of {@code lora} in place with the values saved in {@code dir}, which must hold an adapter
     * of the same modules and rank, checked as {@link #load} checks it.
     */
    static void restore(LoraAdapters lora, Path dir) throws IOException {
        AdapterWeights w = read(lora.model(), dir);
        if (!Set.copyOf(w.modules()).equals(Set.copyOf(lora.moduleNames())) || w.config().r() != lora.config().r()) {
            throw new AdapterFormatException(dir + ": adapter of r=" + w.config().r() + " on " + w.modules().size()
                    + " modules, the run's has r=" + lora.config().r() + " on " + lora.moduleNames().size()
                    + " (other target modules or rank?)");
        }
        for (LoraLayer l : lora.layers()) {
            set(l.a(), w.a().get(l.linear().name()));
            set(l.b(), w.b().get(l.linear().name()));
        }
    }

    private static AdapterWeights read(LanguageModel model, Path dir) throws IOException {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        LoraTargets.candidates(model).forEach(l -> shapes.put(l.name(), new long[] {l.outFeatures(), l.inFeatures()}));
        return AdapterWeights.read(dir, shapes, model.config().family().architecture());
    }

    private static void set(NDArray target, float[] values) {
        try (NDManager scope = target.getManager().newSubManager()) {
            target.set(ALL, scope.create(values, target.getShape()));
        }
    }

    /**
     * The short names (q_proj, ...) as PEFT saves them after expanding all-linear, when they select
     * exactly the adapted modules; otherwise (an adapter loaded from a regex covering some layers only)
     * a regex of the full names, which PEFT full-matches.
     */
    private static JsonNode targetModules(LoraAdapters lora) {
        List<String> modules = lora.moduleNames();
        List<String> candidates = LoraTargets.candidates(lora.model()).stream().map(AdaptableLinear::name).toList();
        List<String> shortNames = LoraTargets.shortNames(modules);
        List<String> selected = LoraTargets.selectNames(candidates, shortNames, "");
        if (Set.copyOf(selected).equals(Set.copyOf(modules))) {
            return PeftConfigJson.names(shortNames);
        }
        return TextNode.valueOf(modules.stream().map(Pattern::quote).collect(Collectors.joining("|", "(?:", ")")));
    }
}
