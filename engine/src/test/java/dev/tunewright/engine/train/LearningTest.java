package dev.tunewright.engine.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.tunewright.engine.data.PackedSequence;
import dev.tunewright.engine.lora.LoraConfig;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tunewright.engine.model.LanguageModel;
import dev.tunewright.engine.model.RandomCheckpoint;
import dev.tunewright.engine.model.TinyModels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * LoRA on a random tiny model learns the keyword task: held-out accuracy (argmax over the three label
 * tokens after the assistant header, i.e. greedy decoding restricted to the labels) goes from chance to
 * at least 90 %, and the loss falls.
 */
class LearningTest {

    @TempDir
    Path dir;

    interface Family {
        Path write(Path dir) throws IOException;
    }

    @ParameterizedTest
    @CsvSource({"llama, 100, FLOAT32", "llama, 100, BFLOAT16", "qwen2, 100, FLOAT32", "qwen2, 100, BFLOAT16",
                "phi3, 150, FLOAT32", "phi3, 150, BFLOAT16"})
    void learnsTheKeywordTask(String family, int steps, DataType dtype) throws IOException {
        learns(target -> TinyModels.write(family, target), steps, dtype);
    }

    /**
     * Gemma 2 with its real soft-caps (attention 50, final 30). TinyModels' caps of 1.5 and 4 are chosen to
     * bite in parity tests, but a final cap of 4 over 300 tokens saturates tanh for most logits, and the
     * adapter then barely moves the loss (about 3.7 after 100 steps).
     */
    @ParameterizedTest
    @ValueSource(strings = {"FLOAT32", "BFLOAT16"})
    void gemma2LearnsTheKeywordTask(String dtype) throws IOException {
        learns(target -> {
            Path tiny = TinyModels.gemma2(target.resolveSibling("gemma2-tiny"));
            ObjectNode config = (ObjectNode) new ObjectMapper().readTree(tiny.resolve("config.json").toFile());
            config.put("attn_logit_softcapping", 50.0).put("final_logit_softcapping", 30.0);
            return RandomCheckpoint.write(target, config, 4, false);
        }, 100, DataType.valueOf(dtype));
    }

    /** In bf16 the frozen base computes in bf16 while the adapter trains in float32; it must learn as well. */
    private void learns(Family family, int steps, DataType dtype) throws IOException {
        List<TrainingTask.Row> trainRows = TrainingTask.rows(240, 1);
        List<TrainingTask.Row> heldOut = TrainingTask.rows(90, 2);
        List<PackedSequence> train = TrainingTask.sequences(dir, trainRows, "train");
        List<PackedSequence> validation = TrainingTask.sequences(dir, heldOut, "validation");
        TrainConfig config = TrainConfig.defaults().withMaxSteps(steps).withBatch(8, 2)
                .withSchedule(1e-2, 10, TrainConfig.Scheduler.COSINE).withOptimizer(0.01, 0.9, 0.999, 1e-8, 1.0)
                .withSeed(3).withEvaluation(50, 0);
        LoraConfig lora = new LoraConfig(8, 16, 0.05, List.of(LoraConfig.ALL_LINEAR), false);
        try (LanguageModel model = TinyModels.load(family.write(dir.resolve("model")), dtype)) {
            double before = labelAccuracy(model, validation, heldOut);
            long t0 = System.nanoTime();
            try (Trainer trainer = new Trainer(model, lora, config, train, validation, dir.resolve("run"), TrainingListener.NONE)) {
                Trainer.Result result = trainer.train();
                double after = labelAccuracy(model, validation, heldOut);
                List<StepMetrics> h = result.history();
                double firstLoss = h.subList(0, 10).stream().mapToDouble(StepMetrics::trainLoss).average().orElseThrow();
                double lastLoss = h.subList(h.size() - 10, h.size()).stream().mapToDouble(StepMetrics::trainLoss).average().orElseThrow();
                System.out.printf("%s %s: accuracy %.3f -> %.3f, loss %.3f -> %.3f, validation %s, %.1f s%n",
                        model.config().family(), dtype, before, after, firstLoss, lastLoss, h.get(h.size() - 1),
                        (System.nanoTime() - t0) / 1e9);
                assertThat(result.outcome()).isEqualTo(Trainer.Outcome.COMPLETED);
                assertThat(before).isLessThan(0.6);
                assertThat(after).isGreaterThanOrEqualTo(0.9);
                assertThat(lastLoss).isLessThan(firstLoss / 3);
                assertThat(h.get(h.size() - 1).validationAccuracy()).isGreaterThan(0.9);
            }
        }
    }

    /**
     * Share of rows whose label token beats the other two label tokens right after the assistant header: the
     * prompt is each sequence up to its first trained token, exactly what greedy decoding would see.
     */
    static double labelAccuracy(LanguageModel model, List<PackedSequence> sequences, List<TrainingTask.Row> rows) {
        int[][] prompts = sequences.stream().map(LearningTest::prompt).toArray(int[][]::new);
        int[] labelIds = TrainingTask.LABELS.stream().mapToInt(TrainingTask::id).toArray();
        int vocab = model.config().vocabSize();
        try (NDManager m = model.newManager()) {
            // every prompt has the same length: six words between the same template tokens
            float[] logits = model.network().forward(m, prompts, null, null, true).toFloatArray();
            int hits = 0;
            for (int b = 0; b < rows.size(); b++) {
                int best = 0;
                for (int k = 1; k < 3; k++) {
                    if (logits[b * vocab + labelIds[k]] > logits[b * vocab + labelIds[best]]) {
                        best = k;
                    }
                }
                hits += best == rows.get(b).label() ? 1 : 0;
            }
            return (double) hits / rows.size();
        }
    }

    private static int[] prompt(PackedSequence s) {
        int[] ids = s.inputIds();
        int[] labels = s.labels();
        int first = 1;
        while (labels[first] == dev.tunewright.engine.data.TokenizedExample.IGNORE) {
            first++;
        }
        return Arrays.copyOf(ids, first);
    }
}
