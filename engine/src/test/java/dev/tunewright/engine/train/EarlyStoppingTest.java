package dev.tunewright.engine.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tunewright.engine.data.PackedSequence;
import dev.tunewright.engine.lora.LoraConfig;
import dev.tunewright.engine.model.LanguageModel;
import dev.tunewright.engine.model.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A validation set whose labels contradict the training labels gets worse exactly as training gets better,
 * so early stopping must end the run after {@code patience} evaluations without improvement, and still
 * leave a final adapter and checkpoint. The final adapter is then the best evaluated one, not the last.
 */
class EarlyStoppingTest {

    @TempDir
    Path dir;

    @Test
    void stopsAfterPatienceEvaluationsWithoutImprovement() throws IOException {
        List<PackedSequence> train = TrainingTask.sequences(dir, TrainingTask.rows(64, 1), "train");
        List<TrainingTask.Row> contradicting = TrainingTask.rows(16, 2).stream()
                .map(r -> new TrainingTask.Row(r.sentence(), (r.label() + 1) % 3)).toList();
        List<PackedSequence> validation = TrainingTask.sequences(dir, contradicting, "validation");
        TrainConfig config = TrainConfig.defaults().withMaxSteps(200).withBatch(8, 1)
                .withSchedule(1e-2, 0, TrainConfig.Scheduler.LINEAR).withEvaluation(5, 2);
        LoraConfig lora = new LoraConfig(8, 16, 0.0, List.of(LoraConfig.ALL_LINEAR), false);
        try (LanguageModel model = TinyModels.load(TinyModels.qwen2(dir.resolve("model")));
             Trainer trainer = new Trainer(model, lora, config, train, validation, dir.resolve("run"), TrainingListener.NONE)) {
            Trainer.Result result = trainer.train();
            assertThat(result.outcome()).isEqualTo(Trainer.Outcome.EARLY_STOPPED);
            List<StepMetrics> evaluated = result.history().stream().filter(StepMetrics::evaluated).toList();
            int n = evaluated.size();
            assertThat(result.steps()).isLessThan(200).isEqualTo(evaluated.get(n - 1).step());
            // the last two evaluations are no better than the best one before them
            double best = evaluated.subList(0, n - 2).stream().mapToDouble(StepMetrics::validationLoss).min().orElseThrow();
            assertThat(evaluated.get(n - 1).validationLoss()).isGreaterThanOrEqualTo(best);
            assertThat(evaluated.get(n - 2).validationLoss()).isGreaterThanOrEqualTo(best);
            assertThat(result.history()).allSatisfy(m -> assertThat(m.evaluated()).isEqualTo(m.step() % 5 == 0));
            assertThat(Files.exists(result.adapter().resolve("adapter_model.safetensors"))).isTrue();
            assertThat(Checkpoints.stepOf(result.lastCheckpoint())).isEqualTo(result.steps());
            // the result is the best adapter: the model now evaluates at the best loss, the last step's was worse
            double bestOverall = evaluated.stream().mapToDouble(StepMetrics::validationLoss).min().orElseThrow();
            assertThat(evaluated.get(n - 1).validationLoss()).isGreaterThan(bestOverall);
            assertThat(trainer.evaluate().loss()).isEqualTo(bestOverall);
            assertThat(Files.readAllBytes(result.adapter().resolve("adapter_model.safetensors")))
                    .isEqualTo(Files.readAllBytes(trainer.bestAdapterDir().resolve("adapter_model.safetensors")));
            // the last checkpoint keeps the last weights, so resuming would continue the run, not the best
            assertThat(Files.readAllBytes(result.lastCheckpoint().resolve("adapter_model.safetensors")))
                    .isNotEqualTo(Files.readAllBytes(result.adapter().resolve("adapter_model.safetensors")));
        }
    }
}
