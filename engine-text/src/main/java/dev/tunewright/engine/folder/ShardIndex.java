package dev.tunewright.engine.folder;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code model.safetensors.index.json}: which shard holds which tensor. Shard names come from a
 * downloaded file, so they must be plain file names in the folder, and a shard series
 * {@code model-0000N-of-0000M} must be complete.
 */
record ShardIndex(Map<String, String> weightMap, Set<String> shards) {

    static final String FILE = "model.safetensors.index.json";
    private static final Pattern SERIES = Pattern.compile("(.+)-(\\d+)-of-(\\d+)\\.safetensors");
    private static final ObjectMapper STRICT = new ObjectMapper(
            JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    static ShardIndex read(Path indexFile) throws ModelFolderException {
        JsonNode root;
        try {
            root = STRICT.readTree(indexFile.toFile());
        } catch (IOException e) {
            throw new ModelFolderException(indexFile + ": not valid JSON: " + e.getMessage(), e);
        }
        JsonNode map = root == null ? null : root.get("weight_map");
        if (map == null || !map.isObject()) {
            throw new ModelFolderException(indexFile + ": missing 'weight_map' object");
        }
        Map<String, String> weightMap = new LinkedHashMap<>();
        Set<String> shards = new LinkedHashSet<>();
        for (var it = map.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().isTextual()) {
                throw new ModelFolderException(indexFile + ": weight_map['" + e.getKey() + "'] is not a file name");
            }
            String shard = e.getValue().textValue();
            if (shard.isEmpty() || shard.contains("/") || shard.contains("\\") || shard.equals("..")
                    || shard.equals(".") || !shard.endsWith(".safetensors")) {
                throw new ModelFolderException(indexFile + ": weight_map['" + e.getKey() + "'] names '" + shard
                        + "', which is not a .safetensors file in the model folder");
            }
            weightMap.put(e.getKey(), shard);
            shards.add(shard);
        }
        if (weightMap.isEmpty()) {
            throw new ModelFolderException(indexFile + ": weight_map is empty");
        }
        return new ShardIndex(weightMap, shards);
    }

    /** Every shard the index names exists, and so does every member of each numbered series. */
    void checkShardsPresent(Path dir) throws ModelFolderException {
        Set<String> expected = new LinkedHashSet<>(shards);
        for (String shard : shards) {
            Matcher m = SERIES.matcher(shard);
            if (m.matches()) {
                int width = m.group(2).length();
                int total = Integer.parseInt(m.group(3));
                for (int i = 1; i <= total; i++) {
                    expected.add(String.format("%s-%0" + width + "d-of-%s.safetensors", m.group(1), i, m.group(3)));
                }
            }
        }
        for (String shard : expected) {
            if (!Files.isRegularFile(dir.resolve(shard))) {
                throw new ModelFolderException(dir.resolve(FILE) + ": shard '" + shard + "' is missing from " + dir);
            }
        }
    }
}
