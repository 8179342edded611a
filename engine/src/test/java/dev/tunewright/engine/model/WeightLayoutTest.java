package dev.tunewright.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.tunewright.engine.folder.ModelFolder;
import dev.tunewright.engine.lora.LoraConfig;
import dev.tunewright.engine.lora.LoraTargets;
import dev.tunewright.engine.quant.QuantizedModels;
import dev.tunewright.engine.quant.ResidentBytes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A family's weight layout is the list its builder loads, no more and no less, so what reads the layout instead of a
 * model (LoRA target shapes from a config alone, the random checkpoints) agrees with the model, and the memory
 * accounting, which measures the loaded arrays, counts exactly the declared parameters.
 */
class WeightLayoutTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2", "phi3", "gemma2"})
    void theLayoutIsWhatTheBuilderLoads(String family) throws IOException {
        TinyModels.write(family, dir);
        try (LanguageModel model = TinyModels.load(dir)) {
            WeightLayout layout = Models.layout(model.config());
            Map<String, long[]> linears = new LinkedHashMap<>();
            LoraTargets.candidates(model).forEach(l -> linears.put(l.name(), new long[] {l.outFeatures(), l.inFeatures()}));
            assertThat(layout.layerLinears()).containsExactlyInAnyOrderEntriesOf(linears);

            ResidentBytes loaded = QuantizedModels.residentBytes(model);
            assertThat(loaded.quantizedParameters()).isZero();
            assertThat(loaded.otherParameters()).isEqualTo(layout.parameterCount());
            assertThat(loaded.otherBytes()).isEqualTo(4 * layout.parameterCount());

            List<String> packed = QuantizedModels.quantize(model, List.of(LoraConfig.ALL_LINEAR));
            ResidentBytes quantized = QuantizedModels.residentBytes(model);
            long packedParams = packed.stream().mapToLong(m -> linears.get(m)[0] * linears.get(m)[1]).sum();
            assertThat(quantized.quantizedParameters()).isEqualTo(packedParams);
            assertThat(quantized.otherParameters()).isEqualTo(layout.parameterCount() - packedParams);
        }
    }

    @Test
    void aTiedHeadIsNotATensorOfItsOwn() throws IOException {
        TinyModels.qwen2(dir);
        ModelConfig config = ModelConfig.read(dir.resolve(ModelFolder.CONFIG));
        assertThat(config.tieWordEmbeddings()).isTrue();
        assertThat(Models.layout(config).names()).contains("model.embed_tokens.weight").doesNotContain("lm_head.weight")
                .contains("model.layers.1.self_attn.q_proj.bias").doesNotContain("model.layers.1.self_attn.o_proj.bias");
    }

    @Test
    void undeclaredTensorsAndUnreadDeclaredOnesAreRefused() throws IOException {
        TinyModels.llama(dir);
        ModelConfig config = ModelConfig.read(dir.resolve(ModelFolder.CONFIG));
        try (ModelFolder folder = ModelFolder.open(dir); NDManager manager = Torch.engine().newBaseManager()) {
            Weights weights = new Weights(Models.layout(config), Weights.Source.of(folder.weights()), manager, DataType.FLOAT32, null);
            assertThatThrownBy(() -> weights.get("model.layers.0.self_attn.q_proj.bias"))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("not in the family's weight layout");
            weights.get("model.embed_tokens.weight");
            assertThatThrownBy(() -> weights.requireAllRead("LlamaForCausalLM"))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("left declared tensors unread")
                    .hasMessageContaining("model.norm.weight").hasMessageNotContaining("model.embed_tokens.weight");
        }
    }
}
