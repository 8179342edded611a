package dev.tunewright.cli.model;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import dev.tunewright.engine.chat.ChatFormatter;
import dev.tunewright.engine.data.DataOptions;
import dev.tunewright.engine.data.DataReport;
import dev.tunewright.engine.data.ExampleEncoder;
import dev.tunewright.engine.data.PackedSequence;
import dev.tunewright.engine.data.SequencePacker;
import dev.tunewright.engine.data.TokenizedExample;
import dev.tunewright.engine.data.TrainingData;
import dev.tunewright.engine.folder.ModelFolder;
import dev.tunewright.engine.lora.LoraConfig;
import dev.tunewright.engine.model.LanguageModel;
import dev.tunewright.engine.model.ModelConfig;
import dev.tunewright.engine.model.Torch;
import dev.tunewright.engine.quant.QuantizedModels;
import dev.tunewright.engine.tokenizer.TextTokenizer;
import dev.tunewright.engine.train.StepMetrics;
import dev.tunewright.engine.train.TrainConfig;
import dev.tunewright.engine.train.Trainer;
import dev.tunewright.engine.train.TrainingListener;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The classic 30-line LoRA script as one command: JSONL in, a PEFT adapter, checkpoints and a metrics log out.
 * The data report comes before any training, so a file that would train on nothing fails in seconds.
 */
@Command(name = "train",
        header = "LoRA fine-tune a model on a JSONL file (alpaca, prompt/completion or chat messages).",
        description = {"Writes OUT/adapter (PEFT layout), OUT/checkpoints and OUT/metrics.jsonl.",
                "Prompt tokens are masked out of the loss unless --train-on-inputs; each reply's end-of-turn is trained."},
        mixinStandardHelpOptions = true)
public class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOption model;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Training JSONL.")
    Path data;

    @Option(names = "--validation", paramLabel = "FILE", description = "Validation JSONL (loss and token accuracy).")
    Path validation;

    @Option(names = "--out", defaultValue = "tunewright-run", paramLabel = "DIR", description = "Result folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--lora-r", defaultValue = "16", description = "LoRA rank (default: ${DEFAULT-VALUE}).")
    int loraR;

    @Option(names = "--lora-alpha", defaultValue = "16", description = "LoRA alpha (default: ${DEFAULT-VALUE}).")
    double loraAlpha;

    @Option(names = "--lora-dropout", defaultValue = "0", description = "LoRA dropout (default: ${DEFAULT-VALUE}).")
    double loraDropout;

    @Option(names = "--use-rslora", description = "Scale by alpha/sqrt(r) instead of alpha/r.")
    boolean useRslora;

    @Option(names = "--qlora", description = "QLoRA: quantize the frozen base linears to NF4 (block 64, double-quantized scales).")
    boolean qlora;

    @Option(names = "--gradient-checkpointing",
            description = "Keep only each layer's input and recompute the layer in backward: far less activation memory for ~30% more compute.")
    boolean gradientCheckpointing;

    @Option(names = "--target-modules", defaultValue = "all-linear", split = ",", paramLabel = "LIST",
            description = "HF module names (q_proj,v_proj,...) or all-linear (default: ${DEFAULT-VALUE}).")
    List<String> targetModules;

    /** Exactly one way to say how long to train. */
    static final class Length {
        @Option(names = "--epochs", description = "Passes over the data (default 1).")
        Integer epochs;

        @Option(names = "--max-steps", description = "Optimizer steps to run instead of epochs.")
        Integer maxSteps;
    }

    @ArgGroup(exclusive = true)
    Length length = new Length();

    @Option(names = "--batch-size", defaultValue = "4", description = "Sequences per micro-batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--grad-accum", defaultValue = "1", description = "Micro-batches per optimizer step (default: ${DEFAULT-VALUE}).")
    int gradAccum;

    @Option(names = "--lr", defaultValue = "2e-4", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--warmup-steps", defaultValue = "0", description = "Linear warm-up steps (default: ${DEFAULT-VALUE}).")
    int warmupSteps;

    @Option(names = "--scheduler", defaultValue = "linear", description = "linear or cosine (default: ${DEFAULT-VALUE}).")
    String scheduler;

    @Option(names = "--weight-decay", defaultValue = "0", description = "AdamW decoupled weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--max-seq-length", defaultValue = "2048", description = "Tokens per example (default: ${DEFAULT-VALUE}).")
    int maxSeqLength;

    @Option(names = "--packing", description = "Pack several examples per sequence (attention and positions reset per example).")
    boolean packing;

    @Option(names = "--train-on-inputs", description = "Train on prompt tokens too.")
    boolean trainOnInputs;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of adapter init, dropout and data order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--eval-every", defaultValue = "0", description = "Evaluate every N steps; 0: only at the end.")
    int evalEvery;

    @Option(names = "--early-stopping-patience", defaultValue = "0",
            description = "Stop after N evaluations without improvement and keep the best adapter; 0: never.")
    int patience;

    @Option(names = "--save-every", defaultValue = "0", description = "Checkpoint every N steps; 0: only at the end.")
    int saveEvery;

    @Option(names = "--save-total-limit", defaultValue = "0",
            description = "Keep only the newest N checkpoints; 0 keeps all (default: ${DEFAULT-VALUE}).")
    int saveTotalLimit;

    @Option(names = "--resume", paramLabel = "CHECKPOINT_DIR",
            description = "Continue the run this checkpoint belongs to, from its newest intact checkpoint.")
    Path resume;

    @Option(names = "--json-metrics", paramLabel = "FILE", description = "Also append every step's metrics to FILE as JSON lines.")
    Path jsonMetrics;

    @Mixin
    DeviceOption device;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        return CliErrors.run(err, () -> train(stdout, err));
    }

    private int train(PrintWriter stdout, PrintWriter err) throws IOException {
        Path runDir = runDir();
        TrainConfig config = config();
        LoraConfig lora = new LoraConfig(loraR, loraAlpha, loraDropout, targetModules, useRslora);
        Path modelDir = model.resolve(err);
        try (TextTokenizer tokenizer = TextTokenizer.open(modelDir)) {
            Optional<ChatFormatter> chat = ChatFormatter.forFolder(modelDir, tokenizer);
            ExampleEncoder encoder = new ExampleEncoder(tokenizer, chat, DataOptions.of(maxSeqLength).withTrainOnInputs(trainOnInputs));
            List<PackedSequence> train = sequences(read(data, encoder, err));
            List<PackedSequence> eval = validation == null ? List.of() : sequences(read(validation, encoder, err));
            LanguageModel lm;
            try (ModelFolder folder = ModelFolder.open(modelDir)) {
                Device dev = Torch.device(device.device);
                // QLoRA packs each base linear to NF4 as it is read: the float model never exists as a whole
                lm = qlora
                        ? QuantizedModels.load(folder, dev, Torch.dtypeFor(dev, ModelConfig.fromJson(folder.config()).family()),
                                List.of(LoraConfig.ALL_LINEAR))
                        : LanguageModel.load(folder, dev);
            }
            if (qlora) {
                long packed = lm.lm().linears().stream().filter(l -> l.packedWeight() != null).count();
                err.println("qlora: " + packed + " base linears in NF4; resident " + QuantizedModels.residentBytes(lm));
                err.flush();
            }
            try (lm; BufferedWriter metrics = Files.newBufferedWriter(runDir.resolve("metrics.jsonl"), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    Trainer trainer = new Trainer(lm, lora, config, train, eval, runDir, new Progress(err, metrics,
                            config.totalSteps(train.size())))) {
                int at = model.model.lastIndexOf('@');
                trainer.baseModel(at > 0 ? model.model.substring(0, at) : model.model, at > 0 ? model.model.substring(at + 1) : null);
                Trainer.Result result = trainer.train();
                stdout.println("training " + result.outcome().name().toLowerCase(Locale.ROOT) + " after " + result.steps()
                        + " steps" + (result.resumedFrom() == null ? "" : " (resumed from " + result.resumedFrom() + ")"));
                stdout.println("adapter: " + result.adapter());
                stdout.println("metrics: " + runDir.resolve("metrics.jsonl"));
                stdout.flush();
            }
        }
        return 0;
    }

    /** The run folder: --out, or the run a --resume checkpoint belongs to; a fresh run never reuses checkpoints. */
    private Path runDir() throws IOException {
        if (resume != null) {
            Path checkpoints = resume.toAbsolutePath().normalize().getParent();
            if (checkpoints == null || !checkpoints.getFileName().toString().equals("checkpoints") || !Files.isDirectory(resume)) {
                throw new IllegalArgumentException("--resume must name a checkpoint folder inside RUN/checkpoints, was " + resume);
            }
            return checkpoints.getParent();
        }
        Path checkpoints = out.resolve("checkpoints");
        if (Files.isDirectory(checkpoints)) {
            try (var entries = Files.list(checkpoints)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException(out + " already holds checkpoints of a run: pass --resume "
                            + checkpoints + "/<checkpoint> to continue it, or choose another --out");
                }
            }
        }
        Files.createDirectories(out);
        return out;
    }

    private TrainConfig config() {
        TrainConfig.Scheduler schedule = switch (scheduler.toLowerCase(Locale.ROOT)) {
            case "linear" -> TrainConfig.Scheduler.LINEAR;
            case "cosine" -> TrainConfig.Scheduler.COSINE;
            default -> throw new IllegalArgumentException("--scheduler must be linear or cosine, was " + scheduler);
        };
        TrainConfig config = TrainConfig.defaults()
                .withBatch(batchSize, gradAccum)
                .withSchedule(lr, warmupSteps, schedule)
                .withSeed(seed)
                .withEvaluation(evalEvery, patience)
                .withSaveEvery(saveEvery)
                .withSaveTotalLimit(saveTotalLimit)
                .withGradientCheckpointing(gradientCheckpointing);
        TrainConfig defaults = TrainConfig.defaults();
        config = config.withOptimizer(weightDecay, defaults.beta1(), defaults.beta2(), defaults.epsilon(), defaults.maxGradNorm());
        if (length.maxSteps != null) {
            config = config.withMaxSteps(length.maxSteps);
        } else if (length.epochs != null) {
            config = config.withEpochs(length.epochs);
        }
        return config;
    }

    private List<TokenizedExample> read(Path file, ExampleEncoder encoder, PrintWriter err) throws IOException {
        TrainingData read = TrainingData.read(file, encoder); // a DataException names every bad line
        DataReport report = read.report();
        err.printf(Locale.ROOT, "%s: %d examples kept, %d truncated, %d dropped; %d tokens, %d trained (share %.0f%%..%.0f%%)%n",
                file.getFileName(), report.kept(), report.truncated(), report.dropped(), report.totalTokens(),
                report.trainableTokens(), report.minTrainableShare() * 100, report.maxTrainableShare() * 100);
        err.flush();
        return read.examples();
    }

    private List<PackedSequence> sequences(List<TokenizedExample> examples) {
        if (packing) {
            return SequencePacker.pack(examples, maxSeqLength);
        }
        List<PackedSequence> sequences = new ArrayList<>(examples.size());
        examples.forEach(e -> sequences.add(PackedSequence.of(e)));
        return sequences;
    }

    /** A one-line progress bar on stderr with loss and ETA, and every step appended to metrics.jsonl. */
    private final class Progress implements TrainingListener {
        private final PrintWriter err;
        private final BufferedWriter metrics;
        private final int totalSteps;
        private final long started = System.nanoTime();
        private final ObjectMapper json = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        private int firstStep = -1;

        Progress(PrintWriter err, BufferedWriter metrics, int totalSteps) {
            this.err = err;
            this.metrics = metrics;
            this.totalSteps = totalSteps;
        }

        @Override
        public void onStep(StepMetrics m) {
            if (firstStep < 0) {
                firstStep = m.step() - 1;
            }
            try {
                String line = json.writeValueAsString(m);
                metrics.write(line);
                metrics.newLine();
                metrics.flush();
                if (jsonMetrics != null) {
                    Files.writeString(jsonMetrics, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot write metrics: " + e.getMessage(), e);
            }
            double elapsed = (System.nanoTime() - started) / 1e9;
            int done = m.step() - firstStep;
            long eta = Math.round(elapsed / Math.max(1, done) * (totalSteps - m.step()));
            int width = 24;
            int filled = (int) Math.round(width * (double) m.step() / Math.max(1, totalSteps));
            char[] bar = new char[width];
            Arrays.fill(bar, 0, Math.min(width, filled), '=');
            Arrays.fill(bar, Math.min(width, filled), width, ' ');
            err.printf(Locale.ROOT, "\rstep %d/%d [%s] loss %.4f lr %.2e%s eta %d:%02d:%02d", m.step(), totalSteps,
                    new String(bar), m.trainLoss(), m.learningRate(),
                    m.evaluated() ? String.format(Locale.ROOT, " val %.4f acc %.3f", m.validationLoss(), m.validationAccuracy()) : "",
                    eta / 3600, eta / 60 % 60, eta % 60);
            if (m.step() >= totalSteps) {
                err.println();
            }
            err.flush();
        }
    }
}
