package dev.tunewright.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tunewright.engine.lora.LoraAdapters;
import dev.tunewright.engine.safetensors.DType;
import dev.tunewright.engine.safetensors.SafetensorsFile;
import dev.tunewright.engine.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The files of one checkpoint: the adapter in PEFT's layout (loadable by PEFT as it is), the AdamW moments
 * under the adapter's keys with the update count, and {@code trainer_state.json}.
 */
final class RunFiles {

    static final String OPTIMIZER = "optimizer.safetensors";
    static final String STATE = "trainer_state.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RunFiles() {}

    static void write(Path dir, LoraAdapters adapters, AdamW optimizer, TrainerState state) throws IOException {
        adapters.writeFiles(dir, null, null);
        SafetensorsWriter moments = new SafetensorsWriter().metadata("step", Integer.toString(optimizer.steps()));
        Map<String, NDArray> live = adapters.byPeftKey();
        for (Map.Entry<String, float[]> e : optimizer.moments().entrySet()) {
            String key = e.getKey().substring(0, e.getKey().lastIndexOf(".exp_avg"));
            moments.add(e.getKey(), DType.F32, live.get(key).getShape().getShape(), e.getValue());
        }
        moments.write(dir.resolve(OPTIMIZER));
        JSON.writeValue(dir.resolve(STATE).toFile(), state);
    }

    static TrainerState readState(Path dir) throws IOException {
        return JSON.readValue(dir.resolve(STATE).toFile(), TrainerState.class);
    }

    /** Puts adapter values and optimizer moments of {@code dir} into the live run. */
    static void restore(Path dir, LoraAdapters adapters, AdamW optimizer) throws IOException {
        adapters.restore(dir);
        try (SafetensorsFile file = SafetensorsFile.open(dir.resolve(OPTIMIZER))) {
            Map<String, float[]> moments = new LinkedHashMap<>();
            for (String name : file.tensors().keySet()) {
                moments.put(name, file.readFloats(name));
            }
            Map<String, Shape> shapes = new LinkedHashMap<>();
            adapters.byPeftKey().forEach((k, v) -> shapes.put(k, v.getShape()));
            optimizer.restore(Integer.parseInt(file.metadata().getOrDefault("step", "0")), moments, shapes);
        }
    }
}
