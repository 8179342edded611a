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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code saveTotalLimit} keeps a long run's disk use bounded (HF's save_total_limit): only the newest
 * checkpoints stay, the last one is always among them, and pruning never deletes the checkpoint a resume
 * would fall back to when a newer one is torn.
 */
class CheckpointRetentionTest {

    @TempDir
    Path dir;

    @Test
    void onlyTheNewestCheckpointsAreKept() throws IOException {
        List<PackedSequence> train = TrainingTask.sequences(dir, TrainingTask.rows(16, 4), "train");
        TrainConfig config = TrainConfig.defaults().withMaxSteps(9).withBatch(2, 1).withSaveEvery(2).withSaveTotalLimit(2);
        try (LanguageModel model = TinyModels.load(TinyModels.llama(dir.resolve("model")));
             Trainer trainer = new Trainer(model, new LoraConfig(4, 8, 0, List.of("q_proj"), false), config, train,
                     List.of(), dir.resolve("run"), TrainingListener.NONE)) {
            Trainer.Result result = trainer.train();
            assertThat(names(trainer.checkpointDir())).containsExactly("checkpoint-00000008", "checkpoint-00000009");
            assertThat(result.lastCheckpoint().getFileName().toString()).isEqualTo("checkpoint-00000009");
            assertThat(Checkpoints.problem(result.lastCheckpoint())).isEmpty();
        }
    }

    @Test
    void pruningSparesTheCheckpointToFallBackTo() throws IOException {
        Path root = dir.resolve("checkpoints");
        for (int step : new int[] {2, 4, 6}) {
            Checkpoints.write(root, step, d -> Files.writeString(d.resolve("x.txt"), "step " + step));
        }
        Path intact = Checkpoints.pathFor(root, 2);
        assertThat(Checkpoints.prune(root, 1, intact)).extracting(p -> p.getFileName().toString())
                .containsExactly("checkpoint-00000004");
        assertThat(names(root)).containsExactly("checkpoint-00000002", "checkpoint-00000006");
        assertThat(Checkpoints.prune(root, 0, null)).as("0 keeps all").isEmpty();
    }

    private static List<String> names(Path root) throws IOException {
        try (Stream<Path> list = Files.list(root)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
