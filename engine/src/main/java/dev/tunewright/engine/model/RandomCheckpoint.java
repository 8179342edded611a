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

    /**
     * @param sharded put the decoder layers in a second shard listed by model.safetensors.index.json
     */
    public static Path write(Path dir, ObjectNode config, long seed, boolean sharded) throws IOException {
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
            (layer ? second : first).add(t.getKey(), DType.BF16, t.getValue(), values(c, t.getKey(), t.getValue(), random));
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
