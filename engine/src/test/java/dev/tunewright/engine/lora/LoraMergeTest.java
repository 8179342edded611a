package dev.tunewright.engine.lora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunewright.engine.model.LanguageModel;
import dev.tunewright.engine.model.TinyModels;
import dev.tunewright.engine.safetensors.DType;
import dev.tunewright.engine.safetensors.SafetensorsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A merged model computes what the base with the adapter applied computes. */
class LoraMergeTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2", "phi3", "gemma2"})
    void mergedInFloat32MatchesBasePlusAdapter(String family) throws IOException {
        Path base = TinyModels.write(family, dir.resolve("base"));
        Path adapter = dir.resolve("adapter");
        Path merged = dir.resolve("merged");
        List<int[]> seqs = List.of(TinyModels.randomTokens(new Random(6), 20));
        double[] expected;
        try (LanguageModel m = TinyModels.load(base);
             LoraAdapters lora = LoraAdapters.attach(m, new LoraConfig(8, 16, 0, List.of(LoraConfig.ALL_LINEAR), false), 2)) {
            LoraTestSupport.randomizeB(lora, 3);
            expected = m.logProbs(seqs).get(0);
            lora.save(adapter, null, null);
        }
        int changed = LoraMerge.merge(base, adapter, merged, DType.F32);
        assertThat(changed).isEqualTo(family.equals("phi3") ? 2 * 4 : (family.equals("gemma2") ? 4 : family.equals("llama") ? 3 : 2) * 7);
        try (LanguageModel m = TinyModels.load(merged)) {
            double[] actual = m.logProbs(seqs).get(0);
            for (int i = 1; i < actual.length; i++) {
                assertThat(actual[i]).as("token %d", i).isCloseTo(expected[i], within(1e-4));
            }
        }
        try (LanguageModel m = TinyModels.load(base)) {
            assertThat(m.logProbs(seqs).get(0)[5]).isNotCloseTo(expected[5], within(1e-3));
        }
    }

    @Test
    void defaultKeepsTheBaseDtypeShardsAndCopiesTheOtherFiles() throws IOException {
        Path base = TinyModels.phi3(dir.resolve("base")); // sharded with an index
        Files.writeString(base.resolve("generation_config.json"), "{\"eos_token_id\": 2}");
        Files.writeString(base.resolve("tokenizer_config.json"), "{\"model_max_length\": 64}");
        Path adapter = dir.resolve("adapter");
        try (LanguageModel m = TinyModels.load(base);
             LoraAdapters lora = LoraAdapters.attach(m, new LoraConfig(4, 4, 0, List.of("qkv_proj"), false), 2)) {
            LoraTestSupport.randomizeB(lora, 3);
            lora.save(adapter, null, null);
        }
        Path merged = dir.resolve("merged");
        assertThat(LoraMerge.merge(base, adapter, merged, null)).isEqualTo(2);
        try (var files = Files.list(merged)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("config.json",
                    "generation_config.json", "tokenizer_config.json", "model.safetensors.index.json",
                    "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors");
        }
        try (SafetensorsFile before = SafetensorsFile.open(base.resolve("model-00002-of-00002.safetensors"));
             SafetensorsFile after = SafetensorsFile.open(merged.resolve("model-00002-of-00002.safetensors"))) {
            assertThat(after.tensors().keySet()).isEqualTo(before.tensors().keySet());
            assertThat(after.tensors().values()).allMatch(t -> t.dtype() == DType.BF16);
            String o = "model.layers.0.self_attn.o_proj.weight";
            String qkv = "model.layers.0.self_attn.qkv_proj.weight";
            assertThat(after.rawBytes(o)).isEqualTo(before.rawBytes(o));
            assertThat(after.rawBytes(qkv)).isNotEqualTo(before.rawBytes(qkv));
        }
        assertThat(new ObjectMapper().readTree(merged.resolve("config.json").toFile()).get("torch_dtype").asText())
                .isEqualTo("bfloat16");
        LoraMerge.merge(base, adapter, merged, DType.F16); // replaces the earlier output
        assertThat(new ObjectMapper().readTree(merged.resolve("config.json").toFile()).get("torch_dtype").asText())
                .isEqualTo("float16");
        try (LanguageModel m = TinyModels.load(merged)) {
            assertThat(m.logProbs(List.of(new int[] {1, 2, 3})).get(0)[2]).isFinite();
        }
    }
}
