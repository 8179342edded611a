package dev.tunewright.engine.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.tunewright.engine.data.PackedSequence;
import dev.tunewright.engine.folder.ModelFolder;
import dev.tunewright.engine.lora.LoraAdapters;
import dev.tunewright.engine.lora.LoraConfig;
import dev.tunewright.engine.model.LanguageModel;
import dev.tunewright.engine.model.TinyModels;
import dev.tunewright.engine.model.Torch;
import dev.tunewright.engine.quant.QuantizedModels;
import dev.tunewright.engine.safetensors.SafetensorsFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Recomputing each layer in backward must change memory, not numbers: with dropout, accumulation, weight
 * decay and warm-up on, a run with activation checkpointing logs bit for bit the losses and gradient norms of
 * the run without it and ends with the same adapter bytes on the CPU, for a family with plain pre-norm layers
 * and for Gemma 2's sandwich norms, soft-caps and sliding window. Nothing may stay behind either: the model's
 * manager holds only its weights afterwards.
 */
class ActivationCheckpointingTest {

    @TempDir
    Path dir;

    private final TrainConfig config = TrainConfig.defaults().withMaxSteps(4).withBatch(2, 2)
            .withSchedule(5e-3, 1, TrainConfig.Scheduler.LINEAR).withOptimizer(0.01, 0.9, 0.999, 1e-8, 1.0).withSeed(5);
    private final LoraConfig lora = new LoraConfig(4, 8, 0.1, List.of(LoraConfig.ALL_LINEAR), false);

    @ParameterizedTest
    @CsvSource({"llama, FLOAT32", "gemma2, FLOAT32", "llama, BFLOAT16", "gemma2, BFLOAT16"})
    void checkpointedTrainingGivesTheNumbersOfOrdinaryTraining(String family, DataType dtype) throws IOException {
        List<PackedSequence> train = TrainingTask.sequences(dir, TrainingTask.rows(16, 3), "train");
        Path folder = family.equals("llama") ? TinyModels.llama(dir.resolve("model")) : TinyModels.gemma2(dir.resolve("model"));
        try (LanguageModel model = TinyModels.load(folder, dtype)) {
            int weights = model.liveArrayCount();
            Trainer.Result plain = run(model, config, train, dir.resolve("plain"));
            Trainer.Result checkpointed = run(model, config.withGradientCheckpointing(true), train, dir.resolve("checkpointed"));
            assertThat(model.liveArrayCount()).isEqualTo(weights);

            assertThat(checkpointed.history()).hasSize(plain.history().size());
            for (int i = 0; i < plain.history().size(); i++) {
                StepMetrics p = plain.history().get(i);
                StepMetrics c = checkpointed.history().get(i);
                assertThat(c.trainLoss()).as("loss at step %d", i + 1).isEqualTo(p.trainLoss());
                assertThat(c.gradNorm()).as("grad norm at step %d", i + 1).isEqualTo(p.gradNorm()).isGreaterThan(0);
            }
            Map<String, float[]> a = adapter(plain.adapter());
            Map<String, float[]> b = adapter(checkpointed.adapter());
            assertThat(b.keySet()).containsExactlyElementsOf(a.keySet());
            for (String key : a.keySet()) {
                assertThat(b.get(key)).as(key).containsExactly(a.get(key));
            }
        }
    }

    /**
     * The checkpointed backward itself, without the trainer around it: on an NF4 base (each layer's weights are
     * expanded again in the recomputation) and with adapters on some modules only, one micro-batch's gradients
     * equal those of the ordinary backward exactly, and the loss sums are equal; the ordinary backward's loss is
     * also that of full logits.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void oneCheckpointedMicroBatchGivesTheOrdinaryGradients(boolean qlora) throws IOException {
        List<PackedSequence> rows = TrainingTask.sequences(dir, TrainingTask.rows(3, 9), "train");
        MicroBatch batch = MicroBatch.of(rows, 0);
        Path folder = TinyModels.qwen2(dir.resolve("model"));
        try (ModelFolder f = ModelFolder.open(folder);
             LanguageModel model = qlora
                     ? QuantizedModels.load(f, Device.cpu(), DataType.FLOAT32, List.of(LoraConfig.ALL_LINEAR))
                     : LanguageModel.load(f, Device.cpu());
             LoraAdapters adapters = LoraAdapters.attach(model, new LoraConfig(4, 8, 0.2, List.of("v_proj", "up_proj"), false), 3)) {
            randomizeB(adapters);
            adapters.setTraining(true);
            java.util.function.IntConsumer seeds = layer -> Torch.engine().setRandomSeed(100 + layer);
            double plainLoss;
            Map<String, float[]> plain;
            try (NDManager scope = model.newManager()) {
                plainLoss = Trainer.backward(model.network(), batch, 7, scope, seeds);
                plain = gradients(adapters, scope);
            }
            double checkpointedLoss;
            Map<String, float[]> checkpointed;
            try (NDManager scope = model.newManager()) {
                checkpointedLoss = ActivationCheckpointing.accumulate(model.network(), batch, 7, scope, seeds);
                checkpointed = gradients(adapters, scope);
            }
            assertThat(checkpointedLoss).isEqualTo(plainLoss);
            double fullLogitsLoss = Torch.withoutGradients(() -> {
                try (NDManager m = model.newManager()) {
                    NDArray logits = model.network().forward(m, batch.inputIds(), batch.positionIds(), batch.segmentIds(), seeds);
                    return (double) TokenLoss.sum(m, logits, batch.labels()).getFloat();
                }
            });
            assertThat(plainLoss).isCloseTo(fullLogitsLoss, org.assertj.core.api.Assertions.within(1e-5 * fullLogitsLoss));
            assertThat(checkpointed.keySet()).containsExactlyElementsOf(plain.keySet()).hasSize(2 * 2 * 2);
            for (String key : plain.keySet()) {
                assertThat(plain.get(key)).as(key).matches(g -> java.util.stream.IntStream.range(0, g.length).anyMatch(i -> g[i] != 0));
                assertThat(checkpointed.get(key)).as(key).containsExactly(plain.get(key));
            }
        }
    }

    /** B = 0 at initialisation gives A no gradient; a fixed non-zero B makes both informative. */
    private static void randomizeB(LoraAdapters adapters) {
        java.util.Random random = new java.util.Random(1);
        adapters.byPeftKey().forEach((key, p) -> {
            if (key.endsWith("lora_B.weight")) {
                float[] values = new float[Math.toIntExact(p.size())];
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) (0.1 * random.nextGaussian());
                }
                p.set(java.nio.FloatBuffer.wrap(values));
            }
        });
    }

    /** The accumulated gradients, read and then zeroed for the next pass. */
    private static Map<String, float[]> gradients(LoraAdapters adapters, NDManager scope) {
        Map<String, float[]> out = new TreeMap<>();
        List<NDArray> grads = Gradients.of(List.copyOf(adapters.byPeftKey().values()), scope);
        int i = 0;
        for (String key : adapters.byPeftKey().keySet()) {
            out.put(key, grads.get(i++).toFloatArray());
        }
        Gradients.zero(grads);
        return out;
    }

    private Trainer.Result run(LanguageModel model, TrainConfig c, List<PackedSequence> train, Path out) throws IOException {
        try (Trainer trainer = new Trainer(model, lora, c, train, List.of(), out, TrainingListener.NONE)) {
            return trainer.train();
        }
    }

    private static Map<String, float[]> adapter(Path folder) throws IOException {
        Map<String, float[]> out = new TreeMap<>();
        try (SafetensorsFile file = SafetensorsFile.open(folder.resolve("adapter_model.safetensors"))) {
            for (String name : file.tensors().keySet()) {
                out.put(name, file.readFloats(name));
            }
        }
        return out;
    }
}
