package dev.tunewright.eval.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunewright.common.artifact.ArtifactFolder;
import dev.tunewright.common.artifact.ArtifactStore;
import dev.tunewright.common.artifact.LocalArtifactStore;
import dev.tunewright.engine.chat.ChatTemplates;
import dev.tunewright.engine.data.PackedSequence;
import dev.tunewright.engine.lora.LoraConfig;
import dev.tunewright.engine.lora.LoraMerge;
import dev.tunewright.engine.model.LanguageModel;
import dev.tunewright.engine.model.TinyModels;
import dev.tunewright.engine.tokenizer.WordLevelTokenizerFiles;
import dev.tunewright.engine.train.StepMetrics;
import dev.tunewright.engine.train.TrainConfig;
import dev.tunewright.engine.train.Trainer;
import dev.tunewright.engine.train.TrainingListener;
import dev.tunewright.engine.train.TrainingTask;
import dev.tunewright.testing.Infrastructure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Stands in for the trainer: fine-tunes a tiny model on the engine tests' keyword task ({@link TrainingTask},
 * from the engine's test jar, trained through the engine's own {@link Trainer}) and puts what a succeeded job
 * leaves behind into the artifact store: the JSONL splits, the adapter folder and the per-step result file.
 *
 * <p>A random model answers with random tokens, not labels, so any fine-tune would "beat" it by learning the
 * answer format alone. The base here is therefore a tiny model that already answers in the format but not the
 * task: LoRA trained on shuffled labels, merged into its weights ({@code tiny-base}). From it, one job learns the
 * real labels ({@link #improved}) and one is trained on shuffled labels again ({@link #shuffled}). The real job's
 * adapter merged into the base is installed as {@code tiny-reference}, a reference model that knows the task.
 * Prepared once per test JVM.
 */
public final class TinyJobs {

    public static final String BASE = "tiny-base";
    public static final String REFERENCE = "tiny-reference";
    static final int LABEL_ROWS = 40;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TinyJobs prepared;

    /** A trained adapter and what the job's events name. */
    public record Job(String adapterArtifactId, String trainArtifactId, String resultFileArtifactId, String resultCsv) {
    }

    public final Path modelsDir;
    public final ArtifactStore store;
    public final String validationArtifactId;
    public final int validationRows;
    public final Job improved;
    public final Job shuffled;

    private TinyJobs(Path modelsDir, ArtifactStore store, String validationArtifactId, int validationRows, Job improved,
            Job shuffled) {
        this.modelsDir = modelsDir;
        this.store = store;
        this.validationArtifactId = validationArtifactId;
        this.validationRows = validationRows;
        this.improved = improved;
        this.shuffled = shuffled;
    }

    public static synchronized TinyJobs get() {
        if (prepared == null) {
            try {
                prepared = prepare(EvalTestResource.modelsDir());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return prepared;
    }

    private static TinyJobs prepare(Path modelsDir) throws IOException {
        long started = System.nanoTime();
        ArtifactStore store = new LocalArtifactStore(Infrastructure.get().artifactsDir());
        Path work = modelsDir.resolveSibling("work");
        Files.createDirectories(work);
        Path raw = TinyModels.llama(work.resolve("raw"));
        writeTokenizer(raw);

        List<TrainingTask.Row> train = TrainingTask.rows(240, 1);
        List<TrainingTask.Row> validation = balanced(TrainingTask.rows(400, 2));
        // the base: answers with a label at chance, knows nothing of the keywords
        Path format = train(raw, work, "format", shuffle(train, 11), validation, 60);
        LoraMerge.merge(raw, format, modelsDir.resolve(BASE), null);

        String validationId = store.put(out -> out.write(jsonl(validation).getBytes(StandardCharsets.UTF_8))).id();
        Job improved = job(store, modelsDir.resolve(BASE), work, "improved", train, validation);
        Job shuffled = job(store, modelsDir.resolve(BASE), work, "shuffled", shuffle(train, 12), validation);
        LoraMerge.merge(modelsDir.resolve(BASE), work.resolve("improved/adapter"), modelsDir.resolve(REFERENCE), null);
        System.err.printf(Locale.ROOT, "tiny jobs prepared in %.1f s%n", (System.nanoTime() - started) / 1e9);
        return new TinyJobs(modelsDir, store, validationId, validation.size(), improved, shuffled);
    }

    private static Job job(ArtifactStore store, Path base, Path work, String name, List<TrainingTask.Row> train,
            List<TrainingTask.Row> validation) throws IOException {
        List<StepMetrics> history = new ArrayList<>();
        Path adapter = train(base, work, name, train, validation, 100, history);
        StringBuilder csv = new StringBuilder(
                "step,train_loss,train_mean_token_accuracy,valid_loss,valid_mean_token_accuracy,learning_rate,tokens_per_second\n");
        for (StepMetrics m : history) {
            csv.append(String.format(Locale.ROOT, "%d,%.6f,,%s,%s,%.8f,%.1f%n", m.step(), m.trainLoss(),
                    m.validationLoss() == null ? "" : String.format(Locale.ROOT, "%.6f", m.validationLoss()),
                    m.validationAccuracy() == null ? "" : String.format(Locale.ROOT, "%.6f", m.validationAccuracy()),
                    m.learningRate(), m.tokensPerSecond()));
        }
        String resultFile = store.put(out -> out.write(csv.toString().getBytes(StandardCharsets.UTF_8))).id();
        String trainId = store.put(out -> out.write(jsonl(train).getBytes(StandardCharsets.UTF_8))).id();
        return new Job(ArtifactFolder.put(store, adapter).id(), trainId, resultFile, csv.toString());
    }

    private static Path train(Path base, Path work, String name, List<TrainingTask.Row> train,
            List<TrainingTask.Row> validation, int steps) throws IOException {
        return train(base, work, name, train, validation, steps, new ArrayList<>());
    }

    /** The engine's LoRA training of LearningTest, returning the final adapter folder. */
    private static Path train(Path base, Path work, String name, List<TrainingTask.Row> train,
            List<TrainingTask.Row> validation, int steps, List<StepMetrics> history) throws IOException {
        Path data = work.resolve(name + "-data");
        Files.createDirectories(data);
        List<PackedSequence> trainSequences = TrainingTask.sequences(data, train, "train");
        List<PackedSequence> validationSequences = TrainingTask.sequences(data, validation, "validation");
        TrainConfig config = TrainConfig.defaults().withMaxSteps(steps).withBatch(8, 2)
                .withSchedule(1e-2, 10, TrainConfig.Scheduler.COSINE).withOptimizer(0.01, 0.9, 0.999, 1e-8, 1.0)
                .withSeed(3).withEvaluation(25, 0);
        LoraConfig lora = new LoraConfig(8, 16, 0.05, List.of(LoraConfig.ALL_LINEAR), false);
        try (LanguageModel model = TinyModels.load(base);
             Trainer trainer = new Trainer(model, lora, config, trainSequences, validationSequences,
                     work.resolve(name), TrainingListener.NONE).baseModel(BASE, null)) {
            Trainer.Result result = trainer.train();
            history.addAll(result.history());
            return result.adapter();
        }
    }

    /**
     * The keyword task's word-level tokenizer with its chat template, and a generation_config.json that ends
     * generation at the end of the assistant's turn as real instruct models do ({@code <|im_end|>}, id 4).
     */
    static void writeTokenizer(Path dir) throws IOException {
        WordLevelTokenizerFiles.write(dir, TrainingTask.VOCAB, 4);
        Files.writeString(dir.resolve(ChatTemplates.JINJA_FILE), TrainingTask.TEMPLATE);
        Files.writeString(dir.resolve("generation_config.json"), "{\"eos_token_id\": [2, 4], \"pad_token_id\": 0}");
    }

    /** The same sentences with labels drawn at random: nothing to learn but the answer format. */
    static List<TrainingTask.Row> shuffle(List<TrainingTask.Row> rows, long seed) {
        Random random = new Random(seed);
        return rows.stream().map(r -> new TrainingTask.Row(r.sentence(), random.nextInt(3))).toList();
    }

    /** The first {@link #LABEL_ROWS} rows of each label: any constant answer scores exactly one third. */
    static List<TrainingTask.Row> balanced(List<TrainingTask.Row> rows) {
        int[] taken = new int[3];
        List<TrainingTask.Row> out = new ArrayList<>();
        for (TrainingTask.Row r : rows) {
            if (taken[r.label()] < LABEL_ROWS) {
                taken[r.label()]++;
                out.add(r);
            }
        }
        return out;
    }

    /** Rows as chat JSONL, the format the dataset service writes splits in. */
    public static String jsonl(List<TrainingTask.Row> rows) {
        StringBuilder text = new StringBuilder();
        try {
            for (TrainingTask.Row r : rows) {
                text.append(JSON.writeValueAsString(Map.of("messages", List.of(
                        Map.of("role", "user", "content", r.sentence()),
                        Map.of("role", "assistant", "content", TrainingTask.LABELS.get(r.label())))))).append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }
}
