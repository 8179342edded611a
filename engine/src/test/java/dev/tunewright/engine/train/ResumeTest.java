package dev.tunewright.engine.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import dev.tunewright.engine.data.PackedSequence;
import dev.tunewright.engine.lora.LoraConfig;
import dev.tunewright.engine.model.LanguageModel;
import dev.tunewright.engine.model.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping and resuming changes nothing: on the CPU every logged number of every later step and the final
 * adapter's bytes equal those of an uninterrupted run, also when the newest checkpoint is corrupt and the
 * run falls back to the one before. Dropout, weight decay, warm-up, clipping, accumulation and an epoch
 * boundary are all switched on so each kind of state has to survive the round trip.
 */
class ResumeTest {

    @TempDir
    Path dir;

    private List<PackedSequence> train;
    private List<PackedSequence> validation;
    private final TrainConfig config = TrainConfig.defaults().withMaxSteps(8).withBatch(2, 2)
            .withSchedule(5e-3, 2, TrainConfig.Scheduler.COSINE).withOptimizer(0.01, 0.9, 0.999, 1e-8, 0.5)
            .withSeed(11).withEvaluation(2, 0).withSaveEvery(2);
    private final LoraConfig lora = new LoraConfig(4, 8, 0.1, List.of("q_proj", "v_proj", "down_proj"), false);

    /** The metrics that must repeat exactly: everything but the wall-clock throughput. */
    record Logged(int step, int epoch, double loss, double lr, double norm, long tokens, Double validationLoss,
                  Double validationAccuracy) {
        static List<Logged> of(List<StepMetrics> history) {
            return history.stream().map(m -> new Logged(m.step(), m.epoch(), m.trainLoss(), m.learningRate(),
                    m.gradNorm(), m.trainableTokensSeen(), m.validationLoss(), m.validationAccuracy())).toList();
        }
    }

    @BeforeEach
    void data() throws IOException {
        // 24 sequences at 4 per step: the epoch ends after step 6
        train = TrainingTask.sequences(dir, TrainingTask.rows(24, 5), "train");
        validation = TrainingTask.sequences(dir, TrainingTask.rows(8, 6), "validation");
    }

    /** In bf16 too: there the adapter's A and B are cast down every forward, and those casts must not pile up. */
    @ParameterizedTest
    @ValueSource(strings = {"FLOAT32", "BFLOAT16"})
    void aStoppedAndResumedRunIsBitIdenticalToAnUninterruptedOne(DataType dtype) throws IOException {
        try (LanguageModel model = TinyModels.load(TinyModels.qwen2(dir.resolve("model")), dtype)) {
            int weights = model.liveArrayCount();
            List<Integer> live = new ArrayList<>();
            Trainer.Result whole = run(model, dir.resolve("whole"), m -> live.add(model.liveArrayCount()));
            assertThat(whole.outcome()).isEqualTo(Trainer.Outcome.COMPLETED);
            assertThat(whole.history()).hasSize(8);
            // nothing accumulates from step to step (step 1 creates the AdamW moments), nor stays after close
            assertThat(live.subList(1, live.size())).containsOnly(live.get(1));
            assertThat(model.liveArrayCount()).isEqualTo(weights);

            Path stopped = dir.resolve("stopped");
            Trainer.Result half = runStoppingAfter(model, stopped, 4);
            assertThat(half.outcome()).isEqualTo(Trainer.Outcome.STOPPED);
            assertThat(half.adapter()).isNull();
            assertThat(Logged.of(half.history())).isEqualTo(Logged.of(whole.history()).subList(0, 4));
            Path torn = dir.resolve("torn");
            copyTree(stopped, torn);

            Trainer.Result resumed = run(model, stopped, m -> { });
            assertThat(resumed.resumedFrom().getFileName().toString()).isEqualTo("checkpoint-00000004");
            assertThat(Logged.of(resumed.history())).isEqualTo(Logged.of(whole.history()));
            assertThat(bytes(resumed.adapter())).isEqualTo(bytes(whole.adapter()));

            // a torn newest checkpoint is detected and the run continues from step 2
            Path newest = torn.resolve("checkpoints/checkpoint-00000004/adapter_model.safetensors");
            byte[] content = Files.readAllBytes(newest);
            content[content.length - 3] ^= 1;
            Files.write(newest, content);
            assertThat(Checkpoints.problem(newest.getParent())).hasValueSatisfying(p -> assertThat(p).contains("SHA-256"));
            Trainer.Result fallback = run(model, torn, m -> { });
            assertThat(fallback.resumedFrom().getFileName().toString()).isEqualTo("checkpoint-00000002");
            assertThat(Logged.of(fallback.history())).isEqualTo(Logged.of(whole.history()));
            assertThat(bytes(fallback.adapter())).isEqualTo(bytes(whole.adapter()));
            assertThat(model.liveArrayCount()).isEqualTo(weights);
        }
    }

    @Test
    void aCheckpointOfAnotherRunIsRefused() throws IOException {
        try (LanguageModel model = TinyModels.load(TinyModels.qwen2(dir.resolve("model")))) {
            Path out = dir.resolve("run");
            runStoppingAfter(model, out, 2);
            assertThat(Files.list(out.resolve("checkpoints/checkpoint-00000002")).map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("adapter_config.json", "adapter_model.safetensors", "optimizer.safetensors",
                            "trainer_state.json", "manifest.json");
            try (Trainer other = new Trainer(model, lora, config.withSeed(12), train, validation, out, TrainingListener.NONE)) {
                assertThatThrownBy(other::train).isInstanceOf(IllegalStateException.class).hasMessageContaining("other data");
            }
        }
    }

    private Trainer.Result run(LanguageModel model, Path out, TrainingListener listener) throws IOException {
        try (Trainer trainer = new Trainer(model, lora, config, train, validation, out, listener)) {
            return trainer.train();
        }
    }

    private Trainer.Result runStoppingAfter(LanguageModel model, Path out, int step) throws IOException {
        Trainer[] self = new Trainer[1];
        try (Trainer trainer = new Trainer(model, lora, config, train, validation, out, m -> {
            if (m.step() == step) {
                self[0].requestStop();
            }
        })) {
            self[0] = trainer;
            return trainer.train();
        }
    }

    private static byte[] bytes(Path adapter) throws IOException {
        return Files.readAllBytes(adapter.resolve("adapter_model.safetensors"));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
