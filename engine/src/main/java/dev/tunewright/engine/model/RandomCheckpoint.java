package dev.tunewright.engine.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tunewright.engine.folder.ModelFolder;
import dev.tunewright.engine.safetensors.DType;
import dev.tunewright.engine.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Writes a random-weight model folder of any supported family in the real on-disk format (config.json and
 * BF16 safetensors under HF names, optionally sharded with an index). Real weights can never be downloaded
 * in CI, so tests, CLI checks and benchmarks all run on these, and {@code ftctl quickstart} writes its tiny demo
 * model with it (main code for that reason); the tensors are the family's {@link WeightLayout}, the list its builder
 * loads.
 */
public final class RandomCheckpoint {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RandomCheckpoint() {}

    /** How the random values are scaled. */
    public enum Init {
        /**
         * Matrices with std 1.2/sqrt(fan-in), embeddings 1, norms around 1: activations stay O(1) at any width, which
         * tiny test models need; on a full-size model these weights drive activations into denormal floats.
         */
        UNIT_ACTIVATIONS,
        /**
         * What Hugging Face's {@code _init_weights} does for a new model: matrices and embeddings with std
         * {@code initializer_range} (0.02 unless the config says otherwise), norms exactly 1 (Gemma's stored 0),
         * biases 0. A trained model's scale, so benchmarks on it meet the activations real ones do.
         */
        HF
    }

    /**
     * @param sharded put the decoder layers in a second shard listed by model.safetensors.index.json
     */
    public static Path write(Path dir, ObjectNode config, long seed, boolean sharded) throws IOException {
        return write(dir, config, seed, sharded, Init.UNIT_ACTIVATIONS);
    }

    public static Path write(Path dir, ObjectNode config, long seed, boolean sharded, Init init) throws IOException {
        Files.createDirectories(dir);
        JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), config);
        ModelConfig c = ModelConfig.fromJson(config);
        Random random = new Random(seed);
        SafetensorsWriter first = new SafetensorsWriter().metadata("format", "pt");
        SafetensorsWriter second = sharded ? new SafetensorsWriter().metadata("format", "pt") : first;
        Map<String, String> map = new LinkedHashMap<>();
        long totalSize = 0;
        for (Map.Entry<String, long[]> t : Models.layout(c).shapes().entrySet()) {
            boolean layer = t.getKey().startsWith("model.layers.");
            float[] values = init == Init.HF
                    ? hfValues(c, config.path("initializer_range").asDouble(0.02), t.getKey(), t.getValue(), random)
                    : values(c, t.getKey(), t.getValue(), random);
            (layer ? second : first).add(t.getKey(), DType.BF16, t.getValue(), values);
            map.put(t.getKey(), layer ? "model-00002-of-00002.safetensors" : "model-00001-of-00002.safetensors");
            totalSize += Arrays.stream(t.getValue()).reduce(1, (x, y) -> x * y) * DType.BF16.byteSize();
        }
        if (sharded) {
            first.write(dir.resolve("model-00001-of-00002.safetensors"));
            second.write(dir.resolve("model-00002-of-00002.safetensors"));
            ModelFolder.writeShardIndex(dir, map, totalSize);
        } else {
            first.write(dir.resolve("model.safetensors"));
        }
        return dir;
    }

    private static float[] hfValues(ModelConfig c, double range, String name, long[] shape, Random random) {
        float[] data = new float[Math.toIntExact(Arrays.stream(shape).reduce(1, (x, y) -> x * y))];
        if (name.endsWith("norm.weight")) {
            Arrays.fill(data, c.family() == Family.GEMMA2 ? 0f : 1f);
        } else if (!name.endsWith(".bias")) {
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) (range * random.nextGaussian());
            }
        }
        return data;
    }

    /**
     * Gaussian values scaled so activations stay O(1) at any width: norms around 1 (Gemma's stored
     * weight around 0, since it scales by 1 + weight), matrices with std 1.2/sqrt(fan-in), biases 0.3.
     */
    private static float[] values(ModelConfig c, String name, long[] shape, Random random) {
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        float[] data = new float[Math.toIntExact(count)];
        boolean norm = name.endsWith("norm.weight");
        double mean = norm && c.family() != Family.GEMMA2 ? 1 : 0;
        double std = norm ? 0.2
                : name.endsWith(".bias") ? 0.3
                : name.equals("model.embed_tokens.weight") ? 1.0
                : 1.2 / Math.sqrt(shape[1]);
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (mean + std * random.nextGaussian());
        }
        return data;
    }
}
