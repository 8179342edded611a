package dev.tunewright.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tunewright.engine.lora.LoraAdapters;
import dev.tunewright.engine.lora.LoraConfig;
import dev.tunewright.engine.safetensors.DType;
import dev.tunewright.engine.safetensors.SafetensorsFile;
import dev.tunewright.engine.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * The adapter half of a checkpoint in PEFT's layout, and putting saved values back into live adapter arrays
 * on resume (in place, so the model keeps the arrays it was given).
 */
final class AdapterFiles {

    static final String CONFIG = "adapter_config.json";
    static final String WEIGHTS = "adapter_model.safetensors";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final NDIndex ALL = new NDIndex("...");

    private AdapterFiles() {}

    static void save(LoraAdapters adapters, Path dir) throws IOException {
        SafetensorsWriter writer = new SafetensorsWriter().metadata("format", "pt");
        for (Map.Entry<String, NDArray> e : adapters.byPeftKey().entrySet()) {
            writer.add(e.getKey(), DType.F32, e.getValue().getShape().getShape(), e.getValue().toFloatArray());
        }
        writer.write(dir.resolve(WEIGHTS));
        LoraConfig c = adapters.config();
        ObjectNode config = JSON.createObjectNode();
        config.put("peft_type", "LORA").put("task_type", "CAUSAL_LM").put("r", c.r()).put("lora_alpha", c.alpha())
                .put("lora_dropout", c.dropout()).put("use_rslora", c.useRslora()).put("bias", "none")
                .put("inference_mode", true);
        var targets = config.putArray("target_modules");
        c.targetModules().forEach(targets::add);
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(CONFIG).toFile(), config);
    }

    /** Overwrites every adapter array with the checkpoint's values; shapes and keys must match exactly. */
    static void restore(LoraAdapters adapters, Path dir) throws IOException {
        try (SafetensorsFile file = SafetensorsFile.open(dir.resolve(WEIGHTS))) {
            Map<String, NDArray> live = adapters.byPeftKey();
            if (!file.tensors().keySet().equals(live.keySet())) {
                throw new IOException(dir + ": adapter keys differ from the run's adapter (other target modules?)");
            }
            for (Map.Entry<String, NDArray> e : live.entrySet()) {
                long[] shape = file.tensors().get(e.getKey()).shape();
                NDArray target = e.getValue();
                if (!Arrays.equals(shape, target.getShape().getShape())) {
                    throw new IOException(dir + ": '" + e.getKey() + "' has shape " + Arrays.toString(shape)
                            + ", the run's adapter " + target.getShape());
                }
                try (var scope = target.getManager().newSubManager()) {
                    target.set(ALL, scope.create(file.readFloats(e.getKey()), target.getShape()));
                }
            }
        }
    }
}
