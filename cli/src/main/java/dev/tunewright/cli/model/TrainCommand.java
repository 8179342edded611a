package dev.tunewright.cli.model;

import dev.tunewright.engine.data.DataReport;
import dev.tunewright.engine.run.DataSplit;
import dev.tunewright.engine.run.FineTuneConfig;
import dev.tunewright.engine.run.FineTuneRun;
import dev.tunewright.engine.run.InvalidSettingException;
import dev.tunewright.engine.run.MetricsLog;
import dev.tunewright.engine.run.Resume;
import dev.tunewright.engine.run.RunControl;
import dev.tunewright.engine.run.RunFolder;
import dev.tunewright.engine.run.RunListener;
import dev.tunewright.engine.run.RunPlan;
import dev.tunewright.engine.run.RunResult;
import dev.tunewright.engine.run.Setting;
import dev.tunewright.engine.train.StepMetrics;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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

    @Option(names = "--dtype", defaultValue = "auto", paramLabel = "DTYPE",
            description = "What the frozen base model computes in: auto (bfloat16 on a CPU with AMX or AVX-512 BF16, "
                    + "float32 on other CPUs; float16 on a GPU, float32 for Gemma 2 there), float32 or bfloat16. LoRA "
                    + "weights, gradients and AdamW state stay float32. Default: ${DEFAULT-VALUE}.")
    String dtype;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        return CliErrors.run(err, () -> train(stdout, err));
    }

    private int train(PrintWriter stdout, PrintWriter err) throws IOException {
        // the run folder's rule first, so a refused folder fails before any download
        RunFolder folder = resume != null ? RunFolder.ofCheckpoint(resume) : new RunFolder(out);
        Resume rule = resume != null ? Resume.REQUIRED : Resume.NEVER;
        try {
            folder.checkResumePoint(rule, skipped -> { });
            FineTuneConfig config = config(model.resolve(err), folder, rule);
            RunResult result = FineTuneRun.run(config, new Progress(err), new RunControl());
            stdout.println("training " + result.outcome().name().toLowerCase(Locale.ROOT) + " after " + result.steps()
                    + " steps" + (result.resumedFrom() == null ? "" : " (resumed from " + result.resumedFrom() + ")"));
            stdout.println("adapter: " + result.adapter());
            stdout.println("metrics: " + folder.metrics());
            stdout.flush();
        } catch (InvalidSettingException e) {
            if (e.setting() == Setting.RUN_DIR && resume == null) {
                throw new IllegalArgumentException(e.getMessage() + " (pass --resume " + folder.checkpoints()
                        + "/<checkpoint> to continue it, or choose another --out)", e);
            }
            throw e;
        }
        return 0;
    }

    private FineTuneConfig config(Path modelDir, RunFolder folder, Resume rule) {
        return FineTuneConfig.builder()
                .model(modelDir, model.model)
                .trainingFile(data)
                .validationFile(validation)
                .runDir(folder.root())
                .resume(rule)
                .device(device.device)
                .dtype(dtype)
                .lora(loraR, loraAlpha, loraDropout, targetModules, useRslora)
                .qlora(qlora)
                .epochs(length.epochs == null ? 1 : length.epochs)
                .maxSteps(length.maxSteps == null ? 0 : length.maxSteps)
                .batch(batchSize, gradAccum)
                .learningRate(lr)
                .warmupSteps(warmupSteps)
                .scheduler(scheduler)
                .weightDecay(weightDecay)
                .seed(seed)
                .evaluation(evalEvery, patience)
                .checkpoints(saveEvery, saveTotalLimit)
                .gradientCheckpointing(gradientCheckpointing)
                .maxSeqLength(maxSeqLength)
                .trainOnInputs(trainOnInputs)
                .packing(packing)
                .build();
    }

    /** The data reports and log lines on stderr, a one-line progress bar with loss and ETA, and --json-metrics. */
    private final class Progress implements RunListener {
        private final PrintWriter err;
        private final long started = System.nanoTime();
        private int totalSteps;
        private int firstStep = -1;

        Progress(PrintWriter err) {
            this.err = err;
        }

        @Override
        public void onDataReport(DataSplit split, DataReport report) {
            err.printf(Locale.ROOT, "%s: %d examples kept, %d truncated, %d dropped; %d tokens, %d trained (share %.0f%%..%.0f%%)%n",
                    report.file().getFileName(), report.kept(), report.truncated(), report.dropped(), report.totalTokens(),
                    report.trainableTokens(), report.minTrainableShare() * 100, report.maxTrainableShare() * 100);
            err.flush();
        }

        @Override
        public void onLog(Level level, String message) {
            err.println(message);
            err.flush();
        }

        @Override
        public void onStart(RunPlan plan) {
            totalSteps = plan.totalSteps();
        }

        @Override
        public void onStep(StepMetrics m) {
            if (firstStep < 0) {
                firstStep = m.step() - 1;
            }
            if (jsonMetrics != null) {
                try {
                    Files.writeString(jsonMetrics, MetricsLog.line(m) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write metrics: " + e.getMessage(), e);
                }
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
