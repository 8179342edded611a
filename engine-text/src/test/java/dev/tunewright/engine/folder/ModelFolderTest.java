package dev.tunewright.engine.folder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tunewright.engine.safetensors.DType;
import dev.tunewright.engine.safetensors.SafetensorsWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFolderTest {

    @TempDir
    Path dir;

    private void config() throws Exception {
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"llama\", \"vocab_size\": 8}");
    }

    private void shard(String file, String... names) throws Exception {
        SafetensorsWriter w = new SafetensorsWriter();
        for (String n : names) {
            w.add(n, DType.BF16, new long[] {2, 2}, new float[] {1, 2, 3, 4});
        }
        w.write(dir.resolve(file));
    }

    private void index(Map<String, String> map) throws Exception {
        StringBuilder sb = new StringBuilder("{\"metadata\": {\"total_size\": 0}, \"weight_map\": {");
        map.forEach((k, v) -> sb.append('"').append(k).append("\": \"").append(v).append("\","));
        sb.setLength(sb.length() - 1);
        Files.writeString(dir.resolve("model.safetensors.index.json"), sb.append("}}").toString());
    }

    @Test
    void singleFileModel() throws Exception {
        config();
        shard("model.safetensors", "a", "b");
        Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": [1, 2]}");
        try (ModelFolder f = ModelFolder.open(dir)) {
            assertThat(f.config().path("model_type").textValue()).isEqualTo("llama");
            assertThat(f.generationConfig().orElseThrow().path("eos_token_id").size()).isEqualTo(2);
            assertThat(f.tokenizerJson()).isEmpty();
            assertThat(f.weights().names()).containsExactly("a", "b");
            assertThat(f.weights().readFloats("b")).containsExactly(1, 2, 3, 4);
            assertThat(f.weights().parameterCount()).isEqualTo(8);
            assertThat(f.weights().parametersByDtype()).containsEntry(DType.BF16, 8L);
            assertThatThrownBy(() -> f.weights().readFloats("zz")).hasMessageContaining("'zz'");
        }
    }

    @Test
    void shardedModel() throws Exception {
        config();
        shard("model-00001-of-00002.safetensors", "a");
        shard("model-00002-of-00002.safetensors", "b", "c");
        index(Map.of("a", "model-00001-of-00002.safetensors", "b", "model-00002-of-00002.safetensors",
                "c", "model-00002-of-00002.safetensors"));
        try (ModelFolder f = ModelFolder.open(dir)) {
            assertThat(f.weights().names()).containsExactlyInAnyOrder("a", "b", "c");
            assertThat(f.weights().shardCount()).isEqualTo(2);
            assertThat(f.weights().info("c").shape()).containsExactly(2, 2);
            assertThat(f.weights().readFloats("a")).containsExactly(1, 2, 3, 4);
        }
    }

    @Test
    void missingShardOfSeries() throws Exception {
        config();
        shard("model-00001-of-00002.safetensors", "a");
        index(Map.of("a", "model-00001-of-00002.safetensors"));
        assertThatThrownBy(() -> ModelFolder.open(dir)).isInstanceOf(ModelFolderException.class)
                .hasMessageContaining("model-00002-of-00002.safetensors").hasMessageContaining("missing");
    }

    @Test
    void indexNamesTensorTheShardLacks() throws Exception {
        config();
        shard("model-00001-of-00001.safetensors", "a");
        index(Map.of("a", "model-00001-of-00001.safetensors", "ghost", "model-00001-of-00001.safetensors"));
        assertThatThrownBy(() -> ModelFolder.open(dir)).isInstanceOf(ModelFolderException.class)
                .hasMessageContaining("'ghost'").hasMessageContaining("model-00001-of-00001.safetensors");
    }

    @Test
    void shardHoldsTensorTheIndexDoesNotList() throws Exception {
        config();
        shard("model-00001-of-00001.safetensors", "a", "extra");
        index(Map.of("a", "model-00001-of-00001.safetensors"));
        assertThatThrownBy(() -> ModelFolder.open(dir)).hasMessageContaining("'extra'");
    }

    @Test
    void shardNameMustStayInFolder() throws Exception {
        config();
        index(Map.of("a", "../outside.safetensors"));
        assertThatThrownBy(() -> ModelFolder.open(dir)).hasMessageContaining("../outside.safetensors")
                .hasMessageContaining("weight_map['a']");
    }

    @Test
    void pickleOnlyIsRefused() throws Exception {
        config();
        Files.write(dir.resolve("pytorch_model.bin"), new byte[] {(byte) 0x80, 2});
        assertThatThrownBy(() -> ModelFolder.open(dir)).isInstanceOf(ModelFolderException.class)
                .hasMessageContaining("pytorch_model.bin").hasMessageContaining("pickle")
                .hasMessageContaining("execute arbitrary code");
    }

    @Test
    void missingConfigAndBadJsonAreNamed() throws Exception {
        shard("model.safetensors", "a");
        assertThatThrownBy(() -> ModelFolder.open(dir)).hasMessageContaining("config.json").hasMessageContaining("missing");
        Files.writeString(dir.resolve("config.json"), "{\"a\": ");
        assertThatThrownBy(() -> ModelFolder.open(dir)).hasMessageContaining("config.json").hasMessageContaining("not valid JSON");
        Files.writeString(dir.resolve("config.json"), "{\"a\": 1, \"a\": 2}");
        assertThatThrownBy(() -> ModelFolder.open(dir)).hasMessageContaining("config.json").hasMessageContaining("'a'");
    }

    @Test
    void noWeights() throws Exception {
        config();
        assertThatThrownBy(() -> ModelFolder.open(dir)).hasMessageContaining("no model weights");
    }

    @Test
    void brokenShardHeaderNamesTheShard() throws Exception {
        config();
        Files.write(dir.resolve("model.safetensors"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> ModelFolder.open(dir)).hasMessageContaining("model.safetensors");
    }
}
