package dev.tunewright.engine.lora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tunewright.engine.model.LanguageModel;
import dev.tunewright.engine.model.AdaptableLinear;
import dev.tunewright.engine.model.ModelConfig;
import dev.tunewright.engine.model.TinyModels;
import dev.tunewright.engine.safetensors.DType;
import dev.tunewright.engine.safetensors.SafetensorsFile;
import dev.tunewright.engine.safetensors.SafetensorsWriter;
import dev.tunewright.engine.safetensors.TensorInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PEFT folder layout: what is written, that it reads back identically, and what is refused. */
class AdapterFilesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void saveWritesExactlyPeftsLayoutAndLoadGivesIdenticalLogProbs() throws IOException {
        Path model = TinyModels.qwen2(dir.resolve("model"));
        Path adapter = dir.resolve("adapter");
        List<int[]> seqs = List.of(TinyModels.randomTokens(new Random(4), 14));
        double[] adapted;
        Map<String, float[]> saved;
        try (LanguageModel m = TinyModels.load(model);
             LoraAdapters lora = LoraAdapters.attach(m, new LoraConfig(4, 8, 0.05, List.of(LoraConfig.ALL_LINEAR), true), 3)) {
            LoraTestSupport.randomizeB(lora, 8);
            adapted = m.logProbs(seqs).get(0);
            saved = LoraTestSupport.values(lora);
            lora.save(adapter, "org/tiny-qwen2", "abc123");
        }
        try (Stream<Path> files = Files.list(adapter)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    "adapter_config.json", "adapter_model.safetensors");
        }
        JsonNode c = JSON.readTree(adapter.resolve("adapter_config.json").toFile());
        assertThat(c.get("peft_type").asText()).isEqualTo("LORA");
        assertThat(c.get("task_type").asText()).isEqualTo("CAUSAL_LM");
        assertThat(c.get("r").asInt()).isEqualTo(4);
        assertThat(c.get("lora_alpha").isIntegralNumber()).isTrue();
        assertThat(c.get("lora_alpha").asInt()).isEqualTo(8);
        assertThat(c.get("lora_dropout").asDouble()).isEqualTo(0.05);
        assertThat(c.get("use_rslora").asBoolean()).isTrue();
        assertThat(c.get("bias").asText()).isEqualTo("none");
        assertThat(c.get("base_model_name_or_path").asText()).isEqualTo("org/tiny-qwen2");
        assertThat(c.get("revision").asText()).isEqualTo("abc123");
        assertThat(c.get("fan_in_fan_out").asBoolean(true)).isFalse();
        assertThat(c.get("init_lora_weights").asBoolean()).isTrue();
        assertThat(c.get("inference_mode").asBoolean()).isTrue();
        assertThat(c.get("modules_to_save").isNull()).isTrue();
        assertThat(c.get("layers_to_transform").isNull()).isTrue();
        assertThat(c.get("rank_pattern").isObject() && c.get("rank_pattern").isEmpty()).isTrue();
        assertThat(c.get("alpha_pattern").isObject() && c.get("alpha_pattern").isEmpty()).isTrue();
        assertThat(JSON.convertValue(c.get("target_modules"), List.class)).containsExactly(
                "down_proj", "gate_proj", "k_proj", "o_proj", "q_proj", "up_proj", "v_proj");
        try (SafetensorsFile st = SafetensorsFile.open(adapter.resolve("adapter_model.safetensors"))) {
            assertThat(st.tensors()).hasSize(2 * 7 * 2);
            assertThat(new TreeSet<>(st.tensors().keySet())).containsExactlyElementsOf(saved.keySet());
            TensorInfo a = st.info("base_model.model.model.layers.1.self_attn.k_proj.lora_A.weight");
            TensorInfo b = st.info("base_model.model.model.layers.1.self_attn.k_proj.lora_B.weight");
            assertThat(a.shape()).containsExactly(4, 64);
            assertThat(b.shape()).containsExactly(32, 4);
            TensorInfo down = st.info("base_model.model.model.layers.0.mlp.down_proj.lora_A.weight");
            assertThat(down.shape()).containsExactly(4, 96);
            assertThat(st.tensors().values()).allMatch(t -> t.dtype() == DType.F32);
            assertThat(st.metadata()).containsEntry("format", "pt");
            for (String key : saved.keySet()) {
                assertThat(st.readFloats(key)).as(key).containsExactly(saved.get(key));
            }
        }
        try (LanguageModel m = TinyModels.load(model); LoraAdapters lora = LoraAdapters.load(m, adapter)) {
            assertThat(lora.config().scale()).isEqualTo(8 / 2.0);
            assertThat(lora.isTraining()).isFalse();
            assertThat(m.logProbs(seqs).get(0)).containsExactly(adapted);
        }
    }

    @Test
    void foreignShapesUnknownKeysAndModulesToSaveAreRefused() throws IOException {
        Path qwen = TinyModels.qwen2(dir.resolve("qwen"));
        Path llama = TinyModels.llama(dir.resolve("llama"));
        Path phi3 = TinyModels.phi3(dir.resolve("phi3"));
        Path adapter = dir.resolve("adapter");
        try (LanguageModel m = TinyModels.load(qwen);
             LoraAdapters lora = LoraAdapters.attach(m, new LoraConfig(4, 8, 0, List.of("q_proj"), false), 1)) {
            lora.save(adapter, null, null);
        }
        try (LanguageModel m = TinyModels.load(llama)) {
            // llama's q_proj is (128, 64): 4 heads of 32
            assertThatThrownBy(() -> LoraAdapters.load(m, adapter)).isInstanceOf(AdapterFormatException.class)
                    .hasMessageContaining("'base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight' has shape [64, 4]")
                    .hasMessageContaining("[128, 4]");
            assertThat(m.linears()).allMatch(l -> l.adapter() == null);
        }
        try (LanguageModel m = TinyModels.load(phi3)) {
            assertThatThrownBy(() -> LoraAdapters.load(m, adapter)).isInstanceOf(AdapterFormatException.class)
                    .hasMessageContaining("adapter_config.json").hasMessageContaining("'q_proj'")
                    .hasMessageContaining("qkv_proj");
        }
        try (LanguageModel m = TinyModels.load(qwen)) {
            Path config = adapter.resolve("adapter_config.json");
            ObjectNode c = (ObjectNode) JSON.readTree(config.toFile());
            c.putArray("modules_to_save").add("lm_head");
            JSON.writeValue(config.toFile(), c);
            assertThatThrownBy(() -> LoraAdapters.load(m, adapter)).isInstanceOf(AdapterFormatException.class)
                    .hasMessageContaining(config.toString()).hasMessageContaining("'modules_to_save' [\"lm_head\"]");
            c.putNull("modules_to_save");
            c.put("r", 8);
            JSON.writeValue(config.toFile(), c);
            assertThatThrownBy(() -> LoraAdapters.load(m, adapter)).hasMessageContaining("has shape [4, 64] but r=8");
            c.put("r", 4);
            c.put("peft_type", "IA3");
            JSON.writeValue(config.toFile(), c);
            assertThatThrownBy(() -> LoraAdapters.load(m, adapter)).hasMessageContaining("'peft_type' is \"IA3\"");
            c.put("peft_type", "LORA");
            JSON.writeValue(config.toFile(), c);
            String extra = "base_model.model.model.layers.0.self_attn.q_proj.modules_to_save.default.weight";
            try (SafetensorsFile st = SafetensorsFile.open(adapter.resolve("adapter_model.safetensors"))) {
                SafetensorsWriter w = new SafetensorsWriter();
                for (String k : st.tensors().keySet()) {
                    w.add(k, DType.F32, st.info(k).shape(), st.readFloats(k));
                }
                w.add(extra, DType.F32, new long[] {2}, new float[2]);
                w.write(dir.resolve("with-extra.safetensors"));
            }
            Files.move(dir.resolve("with-extra.safetensors"), adapter.resolve("adapter_model.safetensors"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            assertThatThrownBy(() -> LoraAdapters.load(m, adapter)).isInstanceOf(AdapterFormatException.class)
                    .hasMessageContaining("adapter_model.safetensors").hasMessageContaining("'" + extra + "'");
            assertThat(m.linears()).allMatch(l -> l.adapter() == null);
        }
    }

    @Test
    void restorePutsASavedAdapterBackInPlaceAndRefusesAnotherOne() throws IOException {
        Path model = TinyModels.llama(dir.resolve("model"));
        Path saved = dir.resolve("saved");
        Path other = dir.resolve("other");
        try (LanguageModel m = TinyModels.load(model)) {
            Map<String, float[]> values;
            try (LoraAdapters lora = LoraAdapters.attach(m, LoraConfig.of(List.of("q_proj", "v_proj")), 1)) {
                LoraTestSupport.randomizeB(lora, 2);
                values = LoraTestSupport.values(lora);
                lora.save(saved, null, null);
            }
            try (LoraAdapters lora = LoraAdapters.attach(m, LoraConfig.of(List.of("q_proj")), 1)) {
                lora.save(other, null, null);
            }
            try (LoraAdapters lora = LoraAdapters.attach(m, LoraConfig.of(List.of("q_proj", "v_proj")), 9)) {
                List<NDArray> arrays = lora.parameters();
                lora.restore(saved);
                assertThat(lora.parameters()).as("the same live arrays, overwritten").isEqualTo(arrays);
                LoraTestSupport.values(lora).forEach((k, v) -> assertThat(v).as(k).containsExactly(values.get(k)));
                assertThatThrownBy(() -> lora.restore(other)).isInstanceOf(AdapterFormatException.class)
                        .hasMessageContaining("other target modules or rank");
            }
        }
    }

    @Test
    void verifyMakesLoadsChecksFromTheBaseConfigAlone() throws IOException {
        Path qwen = TinyModels.qwen2(dir.resolve("qwen"));
        Path llama = TinyModels.llama(dir.resolve("llama"));
        Path adapter = dir.resolve("adapter");
        try (LanguageModel m = TinyModels.load(qwen);
             LoraAdapters lora = LoraAdapters.attach(m, new LoraConfig(4, 8, 0, List.of(LoraConfig.ALL_LINEAR), false), 1)) {
            lora.save(adapter, null, null);
            assertThat(LoraTargets.candidateShapes(m.config()).keySet())
                    .containsExactlyInAnyOrderElementsOf(LoraTargets.candidates(m).stream().map(AdaptableLinear::name).toList());
        }
        LoraConfig verified = LoraAdapters.verify(adapter, ModelConfig.read(qwen.resolve("config.json")));
        assertThat(verified.r()).isEqualTo(4);
        assertThat(verified.targetModules()).containsExactly("down_proj", "gate_proj", "k_proj", "o_proj", "q_proj",
                "up_proj", "v_proj");
        assertThatThrownBy(() -> LoraAdapters.verify(adapter,
                ModelConfig.read(llama.resolve("config.json"))))
                .isInstanceOf(AdapterFormatException.class).hasMessageContaining("has shape");
    }
}
