package dev.tunewright.engine.folder;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tunewright.engine.safetensors.SafetensorsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A Hugging Face model folder: {@code config.json}, optional {@code generation_config.json}, the
 * tokenizer files, and safetensors weights (one file or an indexed shard series). Everything is
 * validated at open: shard headers, the index against the shards, and the refusal of pickle-only
 * checkpoints, which can run arbitrary code when loaded and are therefore never read.
 */
public final class ModelFolder implements AutoCloseable {

    public static final String CONFIG = "config.json";
    public static final String GENERATION_CONFIG = "generation_config.json";
    public static final String SINGLE_WEIGHTS = "model.safetensors";
    public static final String TOKENIZER = "tokenizer.json";
    public static final String TOKENIZER_CONFIG = "tokenizer_config.json";
    public static final String CHAT_TEMPLATE = "chat_template.jinja";

    private static final List<String> PICKLE_SUFFIXES = List.of(".bin", ".pt", ".pth", ".ckpt", ".pkl");
    private static final ObjectMapper MAPPER = new ObjectMapper(
            JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    private final Path dir;
    private final JsonNode config;
    private final JsonNode generationConfig;
    private final JsonNode tokenizerConfig;
    private final WeightStore weights;

    private ModelFolder(Path dir, JsonNode config, JsonNode generationConfig, JsonNode tokenizerConfig, WeightStore weights) {
        this.dir = dir;
        this.config = config;
        this.generationConfig = generationConfig;
        this.tokenizerConfig = tokenizerConfig;
        this.weights = weights;
    }

    /**
     * Writes {@code model.safetensors.index.json} into {@code dir} the way Hugging Face writes it, with
     * {@code metadata.total_size} (the bytes of all tensor data): transformers refuses an index without it.
     *
     * @param weightMap tensor name to the shard file holding it
     * @param totalSize the summed size of every tensor's data, in bytes
     */
    public static void writeShardIndex(Path dir, Map<String, String> weightMap, long totalSize) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.putObject("metadata").put("total_size", totalSize);
        ObjectNode map = root.putObject("weight_map");
        weightMap.forEach(map::put);
        MAPPER.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(ShardIndex.FILE).toFile(), root);
    }

    public static ModelFolder open(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new ModelFolderException(dir + ": not a directory");
        }
        JsonNode config = readJson(dir.resolve(CONFIG))
                .orElseThrow(() -> new ModelFolderException(dir.resolve(CONFIG) + ": missing (not a model folder)"));
        if (!config.isObject()) {
            throw new ModelFolderException(dir.resolve(CONFIG) + ": must be a JSON object");
        }
        JsonNode generation = readJson(dir.resolve(GENERATION_CONFIG)).orElse(null);
        JsonNode tokenizerConfig = readJson(dir.resolve(TOKENIZER_CONFIG)).orElse(null);
        WeightStore weights = openWeights(dir);
        return new ModelFolder(dir, config, generation, tokenizerConfig, weights);
    }

    public Path dir() {
        return dir;
    }

    /** The raw {@code config.json} tree; the model package maps it to its own config type. */
    public JsonNode config() {
        return config;
    }

    public Optional<JsonNode> generationConfig() {
        return Optional.ofNullable(generationConfig);
    }

    public Optional<JsonNode> tokenizerConfig() {
        return Optional.ofNullable(tokenizerConfig);
    }

    public Optional<Path> tokenizerJson() {
        return existing(TOKENIZER);
    }

    public Optional<Path> chatTemplateFile() {
        return existing(CHAT_TEMPLATE);
    }

    public WeightStore weights() {
        return weights;
    }

    @Override
    public void close() throws IOException {
        weights.close();
    }

    private Optional<Path> existing(String name) {
        Path p = dir.resolve(name);
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    static WeightStore openWeights(Path dir) throws IOException {
        Path index = dir.resolve(ShardIndex.FILE);
        if (Files.isRegularFile(index)) {
            return openSharded(dir, ShardIndex.read(index));
        }
        Path single = dir.resolve(SINGLE_WEIGHTS);
        if (Files.isRegularFile(single)) {
            SafetensorsFile f = SafetensorsFile.open(single);
            Map<String, SafetensorsFile> byName = new LinkedHashMap<>();
            f.tensors().keySet().forEach(n -> byName.put(n, f));
            return new WeightStore(List.of(f), byName);
        }
        List<String> pickles = pickleFiles(dir);
        if (!pickles.isEmpty()) {
            throw new ModelFolderException(dir + ": only pickle checkpoints found (" + String.join(", ", pickles)
                    + "); they are refused because loading pickle can execute arbitrary code. "
                    + "Use a safetensors copy of the model (model.safetensors or a sharded index).");
        }
        throw new ModelFolderException(dir + ": no model weights (" + SINGLE_WEIGHTS + " or " + ShardIndex.FILE + ")");
    }

    private static WeightStore openSharded(Path dir, ShardIndex index) throws IOException {
        index.checkShardsPresent(dir);
        List<SafetensorsFile> opened = new ArrayList<>();
        try {
            Map<String, SafetensorsFile> shardFiles = new LinkedHashMap<>();
            for (String shard : index.shards()) {
                SafetensorsFile f = SafetensorsFile.open(dir.resolve(shard));
                opened.add(f);
                shardFiles.put(shard, f);
            }
            Map<String, SafetensorsFile> byName = new LinkedHashMap<>();
            for (var e : index.weightMap().entrySet()) {
                SafetensorsFile f = shardFiles.get(e.getValue());
                if (!f.tensors().containsKey(e.getKey())) {
                    throw new ModelFolderException(dir.resolve(ShardIndex.FILE) + ": tensor '" + e.getKey()
                            + "' is listed in shard '" + e.getValue() + "' but that shard does not contain it");
                }
                byName.put(e.getKey(), f);
            }
            for (var e : shardFiles.entrySet()) {
                for (String name : e.getValue().tensors().keySet()) {
                    if (!e.getKey().equals(index.weightMap().get(name))) {
                        throw new ModelFolderException(dir.resolve(e.getKey()) + ": tensor '" + name
                                + "' is not listed for this shard in " + ShardIndex.FILE);
                    }
                }
            }
            return new WeightStore(opened, byName);
        } catch (IOException | RuntimeException e) {
            for (SafetensorsFile f : opened) {
                try {
                    f.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private static List<String> pickleFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> PICKLE_SUFFIXES.stream().anyMatch(s -> n.toLowerCase(Locale.ROOT).endsWith(s)))
                    .sorted()
                    .toList();
        }
    }

    static Optional<JsonNode> readJson(Path file) throws ModelFolderException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(MAPPER.readTree(file.toFile()));
        } catch (IOException e) {
            throw new ModelFolderException(file + ": not valid JSON: " + e.getMessage(), e);
        }
    }
}
