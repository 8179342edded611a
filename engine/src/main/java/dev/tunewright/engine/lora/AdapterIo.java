package dev.tunewright.engine.lora;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tunewright.engine.model.LanguageModel;
import dev.tunewright.engine.model.Linear;
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

    private AdapterIo() {}

    static void save(LoraAdapters lora, Path dir, String baseModel, String revision) throws IOException {
        SafetensorsWriter weights = new SafetensorsWriter().metadata("format", "pt");
        for (LoraLayer l : lora.layers()) {
            weights.add(l.keyA(), DType.F32, l.a().getShape().getShape(), l.a().toFloatArray());
            weights.add(l.keyB(), DType.F32, l.b().getShape().getShape(), l.b().toFloatArray());
        }
        JsonNode targets = targetModules(lora);
        AtomicFolder.write(dir, tmp -> {
            PeftConfigJson.write(tmp.resolve(PeftConfigJson.FILE),
                    PeftConfigJson.toJson(lora.config(), targets, baseModel, revision));
            weights.write(tmp.resolve(AdapterWeights.FILE));
        });
    }

    static LoraAdapters load(LanguageModel model, Path dir) throws IOException {
        List<Linear> candidates = LoraTargets.candidates(model.lm());
        Map<String, long[]> shapes = new LinkedHashMap<>();
        candidates.forEach(l -> shapes.put(l.name(), new long[] {l.outFeatures(), l.inFeatures()}));
        AdapterWeights w = AdapterWeights.read(dir, shapes, model.config().family().architecture());
        Set<String> chosen = new HashSet<>(w.modules());
        List<Linear> targets = candidates.stream().filter(l -> chosen.contains(l.name())).toList();
        return LoraAdapters.install(model, w.config(), targets, l -> w.a().get(l.name()), l -> w.b().get(l.name()));
    }

    /**
     * The short names (q_proj, ...) as PEFT saves them after expanding all-linear, when they select
     * exactly the adapted modules; otherwise (an adapter loaded from a regex covering some layers only)
     * a regex of the full names, which PEFT full-matches.
     */
    private static JsonNode targetModules(LoraAdapters lora) {
        List<String> modules = lora.moduleNames();
        List<String> candidates = LoraTargets.candidates(lora.model().lm()).stream().map(Linear::name).toList();
        List<String> shortNames = LoraTargets.shortNames(modules);
        List<String> selected = LoraTargets.selectNames(candidates, shortNames, "");
        if (Set.copyOf(selected).equals(Set.copyOf(modules))) {
            return PeftConfigJson.names(shortNames);
        }
        return TextNode.valueOf(modules.stream().map(Pattern::quote).collect(Collectors.joining("|", "(?:", ")")));
    }
}
