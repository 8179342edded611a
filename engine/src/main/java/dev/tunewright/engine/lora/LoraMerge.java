package dev.tunewright.engine.lora;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tunewright.engine.folder.AtomicFolder;
import dev.tunewright.engine.folder.ModelFolder;
import dev.tunewright.engine.folder.WeightStore;
import dev.tunewright.engine.model.ModelConfig;
import dev.tunewright.engine.model.Torch;
import dev.tunewright.engine.safetensors.DType;
import dev.tunewright.engine.safetensors.SafetensorsWriter;
import dev.tunewright.engine.safetensors.TensorInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Bakes an adapter into a complete model folder, W' = W + scale·B·A per adapted linear, so it can be served
 * by anything that loads a plain HF checkpoint. Works tensor by tensor from the base folder's weights
 * without building the model; untouched tensors are copied byte for byte when their dtype is kept, and the
 * output keeps the base's shard layout so memory peaks at one shard.
 */
public final class LoraMerge {

    private static final Pattern LAYER_WEIGHT = Pattern.compile("(model\\.layers\\.\\d+\\..+)\\.weight");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INDEX = "model.safetensors.index.json";
    private static final List<String> NOT_COPIED = List.of(".safetensors", ".bin", ".pt", ".pth", ".ckpt", ".pkl", INDEX);

    private LoraMerge() {}

    /** float32, bfloat16 or float16 (also F32/BF16/F16), as the CLI's --dtype spells it. */
    public static DType parseDtype(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "float32", "fp32", "f32" -> DType.F32;
            case "bfloat16", "bf16" -> DType.BF16;
            case "float16", "fp16", "f16" -> DType.F16;
            default -> throw new IllegalArgumentException("dtype '" + name + "' is not one of float32, bfloat16, float16");
        };
    }

    /**
     * @param dtype every tensor's output dtype, or null to keep each tensor's stored (base) dtype
     * @return the number of linears the adapter changed
     */
    public static int merge(Path baseDir, Path adapterDir, Path outDir, DType dtype) throws IOException {
        Path out = outDir.toAbsolutePath().normalize();
        if (out.equals(baseDir.toAbsolutePath().normalize()) || out.equals(adapterDir.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("--out " + outDir + " must differ from the base model and adapter folders");
        }
        try (ModelFolder base = ModelFolder.open(baseDir)) {
            WeightStore store = base.weights();
            Map<String, long[]> candidates = new LinkedHashMap<>();
            for (String name : store.names()) {
                var m = LAYER_WEIGHT.matcher(name);
                long[] shape = store.info(name).shape();
                if (m.matches() && shape.length == 2) {
                    candidates.put(m.group(1), shape);
                }
            }
            String arch = ModelConfig.fromJson(base.config()).family().architecture();
            AdapterWeights adapter = AdapterWeights.read(adapterDir, candidates, arch);
            Map<String, List<String>> shards = shards(baseDir, store);
            AtomicFolder.write(outDir, tmp -> {
                copyOtherFiles(baseDir, tmp, base.config(), dtype);
                Map<String, String> weightMap = new LinkedHashMap<>();
                long totalSize = 0;
                try (NDManager manager = Torch.engine().newBaseManager(Device.cpu())) {
                    for (Map.Entry<String, List<String>> shard : shards.entrySet()) {
                        SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt");
                        for (String name : shard.getValue()) {
                            totalSize += add(w, store, name, adapter, dtype, manager);
                            weightMap.put(name, shard.getKey());
                        }
                        w.write(tmp.resolve(shard.getKey()));
                    }
                }
                // a fresh index: the base's total_size is wrong once the dtype changes
                if (Files.isRegularFile(baseDir.resolve(INDEX))) {
                    ModelFolder.writeShardIndex(tmp, weightMap, totalSize);
                }
            });
            return adapter.modules().size();
        }
    }

    /** Adds tensor {@code name}, merged where the adapter has it; returns the bytes its data takes. */
    private static long add(SafetensorsWriter w, WeightStore store, String name, AdapterWeights adapter, DType dtype,
                            NDManager manager) throws IOException {
        TensorInfo info = store.info(name);
        DType outType = dtype == null ? info.dtype() : dtype;
        long bytes = info.elementCount() * outType.byteSize();
        var m = LAYER_WEIGHT.matcher(name);
        String module = m.matches() ? m.group(1) : null;
        if (module != null && adapter.a().containsKey(module)) {
            w.add(name, outType, info.shape(), merged(store.readFloats(name), info.shape(), adapter, module, manager));
        } else if (outType == info.dtype()) {
            w.addRaw(name, outType, info.shape(), store.rawBytes(name));
        } else {
            w.add(name, outType, info.shape(), store.readFloats(name));
        }
        return bytes;
    }

    /** W + scale·(B·A) in float32, as PEFT's merge computes the delta. */
    private static float[] merged(float[] weight, long[] shape, AdapterWeights adapter, String module, NDManager manager) {
        int r = adapter.config().r();
        try (NDManager scope = manager.newSubManager()) {
            NDArray a = scope.create(adapter.a().get(module), new Shape(r, shape[1]));
            NDArray b = scope.create(adapter.b().get(module), new Shape(shape[0], r));
            NDArray w = scope.create(weight, new Shape(shape));
            return w.add(b.matMul(a).mul((float) adapter.config().scale())).toFloatArray();
        }
    }

    /** Output file name to tensor names, mirroring the base's shards (or one model.safetensors). */
    private static Map<String, List<String>> shards(Path baseDir, WeightStore store) throws IOException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        Path index = baseDir.resolve(INDEX);
        if (!Files.isRegularFile(index)) {
            out.put(ModelFolder.SINGLE_WEIGHTS, List.copyOf(store.names()));
            return out;
        }
        JsonNode map = JSON.readTree(index.toFile()).get("weight_map");
        for (String name : store.names()) {
            out.computeIfAbsent(map.get(name).asText(), k -> new java.util.ArrayList<>()).add(name);
        }
        return out;
    }

    /** Config (with torch_dtype updated when converting), generation config, tokenizer and template files. */
    private static void copyOtherFiles(Path baseDir, Path tmp, JsonNode config, DType dtype) throws IOException {
        try (Stream<Path> files = Files.list(baseDir)) {
            for (Path f : files.toList()) {
                String n = f.getFileName().toString();
                if (!Files.isRegularFile(f) || n.startsWith(".") || n.equals(ModelFolder.CONFIG)
                        || NOT_COPIED.stream().anyMatch(n::endsWith)) {
                    continue;
                }
                Files.copy(f, tmp.resolve(n));
            }
        }
        ObjectNode c = config.deepCopy();
        if (dtype != null) {
            String torch = switch (dtype) {
                case F32 -> "float32";
                case BF16 -> "bfloat16";
                case F16 -> "float16";
            };
            c.put("torch_dtype", torch);
            if (c.has("dtype")) {
                c.put("dtype", torch);
            }
        }
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.resolve(ModelFolder.CONFIG).toFile(), c);
    }
}
