package dev.tunewright.engine.lora;

import ai.djl.ndarray.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Gives an adapter a non-trivial B (training would) and snapshots its values; public for services' tests. */
public final class LoraTestSupport {

    private LoraTestSupport() {}

    /** Replaces every B with Gaussian values large enough to move the log-probs visibly. */
    public static void randomizeB(LoraAdapters lora, long seed) {
        Random random = new Random(seed);
        lora.byPeftKey().forEach((key, array) -> {
            if (key.endsWith(".lora_B.weight")) {
                float[] v = new float[Math.toIntExact(array.size())];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (0.3 * random.nextGaussian());
                }
                array.set(v);
            }
        });
    }

    public static Map<String, float[]> values(LoraAdapters lora) {
        Map<String, float[]> out = new LinkedHashMap<>();
        lora.byPeftKey().forEach((k, a) -> out.put(k, a.toFloatArray()));
        return out;
    }
}
