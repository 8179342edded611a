package dev.tunewright.engine.run;

import dev.tunewright.engine.model.TinyModels;
import dev.tunewright.engine.train.StepMetrics;
import dev.tunewright.engine.train.TrainingTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A tiny Qwen2 with the training task's tokenizer and chat template, its train and validation JSONL, and the run
 * settings of the engine's resume test (dropout, weight decay, warm-up, clipping, accumulation and an epoch boundary
 * at step 6 all on), so that every kind of state has to survive a stop.
 */
final class TinyRun {

    final Path model;
    final Path train;
    final Path validation;

    private TinyRun(Path model, Path train, Path validation) {
        this.model = model;
        this.train = train;
        this.validation = validation;
    }

    static TinyRun write(Path dir) throws IOException {
        Path model = TinyModels.qwen2(dir.resolve("model"));
        TrainingTask.writeTokenizer(model);
        Files.createDirectories(dir.resolve("data"));
        // 24 sequences at 4 per step: the epoch ends after step 6
        return new TinyRun(model, TrainingTask.jsonl(dir.resolve("data/train.jsonl"), TrainingTask.rows(24, 5)),
                TrainingTask.jsonl(dir.resolve("data/validation.jsonl"), TrainingTask.rows(8, 6)));
    }

    FineTuneConfigBuilder settings(Path runDir) {
        return FineTuneConfig.builder().model(model, "org/tiny@rev1").trainingFile(train).validationFile(validation)
                .runDir(runDir).device("cpu").lora(4, 8, 0.1, List.of("q_proj", "v_proj", "down_proj"), false)
                .maxSteps(8).batch(2, 2).learningRate(5e-3).warmupSteps(2).scheduler("cosine").weightDecay(0.01)
                .maxGradNorm(0.5).seed(11).evaluation(2, 0).checkpoints(2, 0).maxSeqLength(64);
    }

    /** The metrics that must repeat exactly: everything but the wall-clock throughput. */
    record Logged(int step, int epoch, double loss, double lr, double norm, long tokens, Double validationLoss,
                  Double validationAccuracy) {
        static List<Logged> of(List<StepMetrics> history) {
            return history.stream().map(m -> new Logged(m.step(), m.epoch(), m.trainLoss(), m.learningRate(),
                    m.gradNorm(), m.trainableTokensSeen(), m.validationLoss(), m.validationAccuracy())).toList();
        }
    }
}
