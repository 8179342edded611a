package dev.tunewright.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the LoRA issue builds on: any linear is reachable by its HF name and an adapter on it trains through autograd. */
class LinearAdapterTest {

    @TempDir
    Path dir;

    @Test
    void everyLinearIsNamedLikeItsHfModule() throws IOException {
        TinyModels.phi3(dir);
        try (LanguageModel model = TinyModels.load(dir)) {
            List<String> names = model.linears().stream().map(AdaptableLinear::name).toList();
            assertThat(names).contains("model.layers.0.self_attn.qkv_proj", "model.layers.0.self_attn.o_proj",
                    "model.layers.1.mlp.gate_up_proj", "model.layers.1.mlp.down_proj", "lm_head");
            assertThat(names).hasSize(2 * 4 + 1);
        }
    }

    @Test
    void anAdapterChangesTheOutputAndReceivesGradients() throws IOException {
        TinyModels.qwen2(dir);
        int[][] ids = {TinyModels.randomTokens(new Random(1), 10)};
        try (LanguageModel model = TinyModels.load(dir); NDManager m = model.newManager()) {
            AdaptableLinear q = model.linears().stream()
                    .filter(l -> l.name().equals("model.layers.1.self_attn.q_proj")).findFirst().orElseThrow();
            float before = model.network().forward(m, ids, null, null, false).sum().getFloat();
            // a rank-4 LoRA-style pair with PEFT's shapes, lora_A (r, in) and lora_B (out, r): delta(x) = x·Aᵀ·Bᵀ
            NDArray a = m.randomNormal(0, 0.1f, new Shape(4, q.inFeatures()), ai.djl.ndarray.types.DataType.FLOAT32);
            NDArray b = m.randomNormal(0, 0.1f, new Shape(q.outFeatures(), 4), ai.djl.ndarray.types.DataType.FLOAT32);
            a.setRequiresGradient(true);
            b.setRequiresGradient(true);
            // F.linear keeps every intermediate in x's manager and, inside the collector, on the autograd tape
            q.setAdapter(x -> ai.djl.nn.core.Linear.linear(ai.djl.nn.core.Linear.linear(x, a).head(), b).head());
            try (GradientCollector collector = Torch.engine().newGradientCollector()) {
                NDArray logits = model.network().forward(m, ids, null, null, false);
                assertThat(logits.sum().getFloat()).isNotEqualTo(before);
                collector.backward(logits.logSoftmax(-1).get(":, :, 7").mean());
            }
            assertThat(a.getGradient().abs().sum().getFloat()).isGreaterThan(0f);
            assertThat(b.getGradient().abs().sum().getFloat()).isGreaterThan(0f);
            q.setAdapter(null);
            assertThat(model.network().forward(m, ids, null, null, false).sum().getFloat()).isEqualTo(before);
        }
    }
}
