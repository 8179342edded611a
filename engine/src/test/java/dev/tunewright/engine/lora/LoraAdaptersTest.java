package dev.tunewright.engine.lora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.tunewright.engine.model.LanguageModel;
import dev.tunewright.engine.model.AdaptableLinear;
import dev.tunewright.engine.model.TinyModels;
import dev.tunewright.engine.model.Torch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Attaching, detaching and training LoRA adapters on a tiny model. */
class LoraAdaptersTest {

    @TempDir
    Path dir;

    @Test
    void zeroBLeavesTheModelExactlyTheBaseAndDetachRemovesTheAdapters() throws IOException {
        TinyModels.llama(dir);
        List<int[]> seqs = List.of(TinyModels.randomTokens(new Random(3), 12));
        try (LanguageModel model = TinyModels.load(dir)) {
            double[] base = model.logProbs(seqs).get(0);
            try (LoraAdapters lora = LoraAdapters.attach(model, LoraConfig.of(List.of(LoraConfig.ALL_LINEAR)), 1)) {
                assertThat(lora.moduleNames()).hasSize(3 * 7).noneMatch(n -> n.equals("lm_head"));
                assertThat(model.linears().stream().filter(l -> l.adapter() != null)).hasSize(21);
                assertThat(model.logProbs(seqs).get(0)).containsExactly(base);
                LoraTestSupport.randomizeB(lora, 5);
                int live = model.liveArrayCount();
                assertThat(model.logProbs(seqs).get(0)).isNotEqualTo(base);
                assertThat(model.liveArrayCount()).as("adapter temporaries are freed with the call").isEqualTo(live);
                double[] adapted = model.logProbs(seqs).get(0);
                lora.detach();
                assertThat(model.linears()).allMatch(l -> l.adapter() == null);
                assertThat(model.logProbs(seqs).get(0)).containsExactly(base);
                lora.reattach();
                assertThat(lora.isAttached()).isTrue();
                assertThat(model.logProbs(seqs).get(0)).as("reattached, the same adapter again").containsExactly(adapted);
                lora.detach();
                try (LoraAdapters other = LoraAdapters.attach(model, LoraConfig.of(List.of("o_proj")), 2)) {
                    assertThatThrownBy(lora::reattach).isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("already has an adapter");
                }
            }
        }
    }

    @Test
    void peftKeysShapesAndInitialisation() throws IOException {
        TinyModels.qwen2(dir);
        try (LanguageModel model = TinyModels.load(dir);
             LoraAdapters lora = LoraAdapters.attach(model,
                     new LoraConfig(4, 8, 0, List.of("q_proj", "self_attn.v_proj"), false), 9)) {
            Map<String, NDArray> byKey = lora.byPeftKey();
            assertThat(byKey.keySet()).containsExactly(
                    "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight",
                    "base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight",
                    "base_model.model.model.layers.0.self_attn.v_proj.lora_A.weight",
                    "base_model.model.model.layers.0.self_attn.v_proj.lora_B.weight",
                    "base_model.model.model.layers.1.self_attn.q_proj.lora_A.weight",
                    "base_model.model.model.layers.1.self_attn.q_proj.lora_B.weight",
                    "base_model.model.model.layers.1.self_attn.v_proj.lora_A.weight",
                    "base_model.model.model.layers.1.self_attn.v_proj.lora_B.weight");
            assertThat(lora.parameters()).containsExactlyElementsOf(byKey.values());
            NDArray a = byKey.get("base_model.model.model.layers.0.self_attn.v_proj.lora_A.weight");
            NDArray b = byKey.get("base_model.model.model.layers.0.self_attn.v_proj.lora_B.weight");
            assertThat(a.getShape().getShape()).containsExactly(4, 64);
            assertThat(b.getShape().getShape()).containsExactly(32, 4); // 2 kv heads of 16
            float bound = (float) (1 / Math.sqrt(64));
            assertThat(a.abs().max().getFloat()).isLessThanOrEqualTo(bound);
            assertThat(a.abs().max().getFloat()).isGreaterThan(0.8f * bound);
            assertThat(b.toFloatArray()).containsOnly(0f);
            assertThat(model.linears()).allMatch(l -> !l.weight().hasGradient());
        }
    }

    @Test
    void sameSeedGivesBitIdenticalAdapters() throws IOException {
        TinyModels.phi3(dir);
        LoraConfig config = new LoraConfig(8, 16, 0.1, List.of("qkv_proj", "gate_up_proj"), true);
        try (LanguageModel model = TinyModels.load(dir)) {
            Map<String, float[]> first;
            try (LoraAdapters lora = LoraAdapters.attach(model, config, 42)) {
                first = LoraTestSupport.values(lora);
            }
            try (LoraAdapters lora = LoraAdapters.attach(model, config, 42)) {
                Map<String, float[]> second = LoraTestSupport.values(lora);
                assertThat(second.keySet()).containsExactlyElementsOf(first.keySet());
                first.forEach((k, v) -> assertThat(second.get(k)).as(k).containsExactly(v));
            }
            try (LoraAdapters lora = LoraAdapters.attach(model, config, 43)) {
                String key = first.keySet().iterator().next();
                assertThat(LoraTestSupport.values(lora).get(key)).isNotEqualTo(first.get(key));
            }
        }
    }

    @Test
    void onlyTheAdapterReceivesGradientsAndDropoutFollowsTrainingMode() throws IOException {
        TinyModels.gemma2(dir);
        int[][] ids = {TinyModels.randomTokens(new Random(1), 10)};
        LoraConfig config = new LoraConfig(4, 8, 0.5, List.of("o_proj", "down_proj"), false);
        try (LanguageModel model = TinyModels.load(dir); NDManager m = model.newManager();
             LoraAdapters lora = LoraAdapters.attach(model, config, 1)) {
            LoraTestSupport.randomizeB(lora, 2);
            float eval = model.network().forward(m, ids, null, null, false).sum().getFloat();
            assertThat(model.network().forward(m, ids, null, null, false).sum().getFloat()).isEqualTo(eval);
            lora.setTraining(true);
            try (GradientCollector collector = Torch.engine().newGradientCollector()) {
                NDArray logits = model.network().forward(m, ids, null, null, false);
                assertThat(logits.sum().getFloat()).isNotEqualTo(eval);
                collector.backward(logits.logSoftmax(-1).get(":, :, 7").mean());
            }
            for (NDArray p : lora.parameters()) {
                assertThat(p.getGradient().abs().sum().getFloat()).isGreaterThan(0f);
            }
            assertThat(model.linears().stream().map(AdaptableLinear::weight)).noneMatch(NDArray::hasGradient);
            lora.setTraining(false);
            assertThat(model.network().forward(m, ids, null, null, false).sum().getFloat()).isEqualTo(eval);
        }
    }

    @Test
    void aHalfPrecisionModelKeepsTheAdapterInFloat32() throws IOException {
        TinyModels.llama(dir);
        List<int[]> seqs = List.of(TinyModels.randomTokens(new Random(3), 8));
        try (dev.tunewright.engine.folder.ModelFolder folder = dev.tunewright.engine.folder.ModelFolder.open(dir);
             LanguageModel model = LanguageModel.load(folder, ai.djl.Device.cpu(), ai.djl.ndarray.types.DataType.FLOAT16)) {
            double[] base = model.logProbs(seqs).get(0);
            try (LoraAdapters lora = LoraAdapters.attach(model, LoraConfig.of(List.of("v_proj")), 1)) {
                assertThat(lora.parameters()).allMatch(p -> p.getDataType() == ai.djl.ndarray.types.DataType.FLOAT32);
                assertThat(model.logProbs(seqs).get(0)).containsExactly(base);
                LoraTestSupport.randomizeB(lora, 5);
                assertThat(model.logProbs(seqs).get(0)).isNotEqualTo(base);
            }
        }
    }

    @Test
    void unknownModulesAndDoubleAttachAreRefused() throws IOException {
        TinyModels.phi3(dir);
        try (LanguageModel model = TinyModels.load(dir)) {
            assertThatThrownBy(() -> LoraAdapters.attach(model, LoraConfig.of(List.of("q_proj")), 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'q_proj'")
                    .hasMessageContaining("down_proj, gate_up_proj, o_proj, qkv_proj");
            assertThatThrownBy(() -> LoraAdapters.attach(model, LoraConfig.of(List.of("lm_head")), 1))
                    .hasMessageContaining("'lm_head'");
            try (LoraAdapters lora = LoraAdapters.attach(model, LoraConfig.of(List.of("o_proj")), 1)) {
                assertThatThrownBy(() -> LoraAdapters.attach(model, LoraConfig.of(List.of(LoraConfig.ALL_LINEAR)), 1))
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("already has an adapter");
                assertThat(lora.moduleNames()).containsExactly("model.layers.0.self_attn.o_proj",
                        "model.layers.1.self_attn.o_proj");
            }
            assertThat(model.linears()).allMatch(l -> l.adapter() == null);
        }
    }
}
