package dev.tunewright.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import dev.tunewright.engine.lora.LoraAdapters;
import dev.tunewright.engine.safetensors.SafetensorsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Map;

/**
 * The adapter half of a checkpoint in PEFT's layout, and putting saved values back into live adapter arrays
 * on resume (in place, so the model keeps the arrays it was given).
 */
final class AdapterFiles {

    static final String CONFIG = "adapter_config.json";
    static final String WEIGHTS = "adapter_model.safetensors";
    private static final NDIndex ALL = new NDIndex("...");

    private AdapterFiles() {}

    /**
     * The adapter's PEFT files directly in {@code dir} (a checkpoint folder holds other files next to them):
     * written by the LoRA package into a sub-folder, then moved up.
     */
    static void save(LoraAdapters adapters, Path dir) throws IOException {
        Path sub = dir.resolve("adapter.tmp");
        adapters.save(sub, null, null);
        for (String name : new String[] {CONFIG, WEIGHTS}) {
            Files.move(sub.resolve(name), dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        }
        Checkpoints.deleteTree(sub);
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
