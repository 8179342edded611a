package dev.tunewright.engine.run;

import static dev.tunewright.engine.run.InvalidSettingException.require;

import dev.tunewright.engine.data.DataOptions;
import dev.tunewright.engine.lora.LoraConfig;
import dev.tunewright.engine.model.ComputeDtype;
import dev.tunewright.engine.train.TrainConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Collects a run's settings as plain values (a job request's fields, command-line options) and checks each one in
 * {@link #build}, throwing an {@link InvalidSettingException} that names the first one at fault. Defaults: LoRA r 16,
 * alpha 16, no dropout on all linears; {@link TrainConfig#defaults()}; max_seq_length 2048; device auto; a new run.
 */
public final class FineTuneConfigBuilder {

    private static final Pattern DEVICE = Pattern.compile("auto|cpu|gpu|cuda|(gpu|cuda):\\d{1,3}");
    private static final TrainConfig DEFAULTS = TrainConfig.defaults();

    private BaseModel model;
    private Path trainingFile;
    private Path validationFile;
    private Path runDir;
    private Resume resume = Resume.NEVER;
    private String device = "auto";
    private String dtype = ComputeDtype.AUTO.key();
    private int r = 16;
    private double alpha = 16;
    private double dropout;
    private List<String> targetModules = List.of(LoraConfig.ALL_LINEAR);
    private boolean useRslora;
    private boolean qlora;
    private int epochs = DEFAULTS.epochs();
    private int maxSteps = DEFAULTS.maxSteps();
    private int batchSize = DEFAULTS.microBatchSize();
    private int gradientAccumulation = DEFAULTS.gradientAccumulation();
    private double learningRate = DEFAULTS.learningRate();
    private int warmupSteps = DEFAULTS.warmupSteps();
    private double warmupRatio;
    private String scheduler = DEFAULTS.scheduler().name();
    private double weightDecay = DEFAULTS.weightDecay();
    private double maxGradNorm = DEFAULTS.maxGradNorm();
    private long seed = DEFAULTS.seed();
    private int evalEvery = DEFAULTS.evalEvery();
    private int earlyStoppingPatience = DEFAULTS.earlyStoppingPatience();
    private int saveEvery = DEFAULTS.saveEvery();
    private int saveTotalLimit = DEFAULTS.saveTotalLimit();
    private boolean gradientCheckpointing = DEFAULTS.gradientCheckpointing();
    private int maxSeqLength = 2048;
    private boolean trainOnInputs;
    private Map<String, Object> templateKwargs = Map.of();
    private boolean packing;

    FineTuneConfigBuilder() {
    }

    /** The model in {@code folder}, recorded as {@code dirOrId} ({@code org/name[@revision]} or the folder's path). */
    public FineTuneConfigBuilder model(Path folder, String dirOrId) {
        this.model = folder == null || dirOrId == null ? null : BaseModel.of(folder, dirOrId);
        return this;
    }

    /** The model in {@code folder}, recorded as hub id {@code id} at {@code revision} (null: none named). */
    public FineTuneConfigBuilder model(Path folder, String id, String revision) {
        this.model = new BaseModel(folder, id, revision);
        return this;
    }

    public FineTuneConfigBuilder trainingFile(Path file) {
        this.trainingFile = file;
        return this;
    }

    public FineTuneConfigBuilder validationFile(Path file) {
        this.validationFile = file;
        return this;
    }

    public FineTuneConfigBuilder runDir(Path dir) {
        this.runDir = dir;
        return this;
    }

    public FineTuneConfigBuilder resume(Resume value) {
        this.resume = value;
        return this;
    }

    public FineTuneConfigBuilder device(String value) {
        this.device = value;
        return this;
    }

    /** {@code auto}, {@code float32} or {@code bfloat16} ({@link ComputeDtype}); null means auto. */
    public FineTuneConfigBuilder dtype(String value) {
        this.dtype = value;
        return this;
    }

    public FineTuneConfigBuilder lora(int rank, double loraAlpha, double loraDropout, List<String> modules, boolean rslora) {
        this.r = rank;
        this.alpha = loraAlpha;
        this.dropout = loraDropout;
        this.targetModules = modules;
        this.useRslora = rslora;
        return this;
    }

    public FineTuneConfigBuilder qlora(boolean on) {
        this.qlora = on;
        return this;
    }

    public FineTuneConfigBuilder epochs(int value) {
        this.epochs = value;
        return this;
    }

    /** Optimizer steps to run instead of whole epochs; 0 runs the epochs. */
    public FineTuneConfigBuilder maxSteps(int value) {
        this.maxSteps = value;
        return this;
    }

    /** Sequences per micro-batch, and micro-batches per optimizer step. */
    public FineTuneConfigBuilder batch(int size, int accumulation) {
        this.batchSize = size;
        this.gradientAccumulation = accumulation;
        return this;
    }

    public FineTuneConfigBuilder learningRate(double value) {
        this.learningRate = value;
        return this;
    }

    public FineTuneConfigBuilder warmupSteps(int value) {
        this.warmupSteps = value;
        return this;
    }

    public FineTuneConfigBuilder warmupRatio(double value) {
        this.warmupRatio = value;
        return this;
    }

    /** {@code linear} or {@code cosine}, in any case. */
    public FineTuneConfigBuilder scheduler(String value) {
        this.scheduler = value;
        return this;
    }

    public FineTuneConfigBuilder weightDecay(double value) {
        this.weightDecay = value;
        return this;
    }

    public FineTuneConfigBuilder maxGradNorm(double value) {
        this.maxGradNorm = value;
        return this;
    }

    public FineTuneConfigBuilder seed(long value) {
        this.seed = value;
        return this;
    }

    public FineTuneConfigBuilder evaluation(int every, int patience) {
        this.evalEvery = every;
        this.earlyStoppingPatience = patience;
        return this;
    }

    public FineTuneConfigBuilder checkpoints(int every, int totalLimit) {
        this.saveEvery = every;
        this.saveTotalLimit = totalLimit;
        return this;
    }

    public FineTuneConfigBuilder gradientCheckpointing(boolean on) {
        this.gradientCheckpointing = on;
        return this;
    }

    public FineTuneConfigBuilder maxSeqLength(int value) {
        this.maxSeqLength = value;
        return this;
    }

    public FineTuneConfigBuilder trainOnInputs(boolean on) {
        this.trainOnInputs = on;
        return this;
    }

    /** Extra chat template variables (Llama 3's {@code date_string}, so a prompt does not change with the day). */
    public FineTuneConfigBuilder templateKwargs(Map<String, Object> kwargs) {
        this.templateKwargs = kwargs;
        return this;
    }

    public FineTuneConfigBuilder packing(boolean on) {
        this.packing = on;
        return this;
    }

    /** The config, or an {@link InvalidSettingException} naming the first setting at fault. */
    public FineTuneConfig build() {
        require(model != null && model.folder() != null && model.id() != null && !model.id().isBlank(), Setting.MODEL,
                "a model folder and the name to record it under are required");
        require(Files.isDirectory(model.folder()), Setting.MODEL, model.folder() + " is not a model folder");
        requireFile(trainingFile != null, trainingFile, Setting.TRAINING_FILE);
        requireFile(true, validationFile, Setting.VALIDATION_FILE);
        require(runDir != null, Setting.RUN_DIR, "a run folder is required");
        require(!Files.exists(runDir) || Files.isDirectory(runDir), Setting.RUN_DIR, runDir + " is not a folder");
        require(resume != null, Setting.RESUME, "say whether to resume (never, if_any, required)");
        require(device != null && DEVICE.matcher(device.trim().toLowerCase(Locale.ROOT)).matches(), Setting.DEVICE,
                "must be auto, cpu, gpu or cuda:N, was " + device);
        ComputeDtype computeDtype;
        try {
            computeDtype = ComputeDtype.parse(dtype);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(Setting.DTYPE, e.getMessage(), e);
        }
        LoraConfig lora = lora();
        TrainConfig training = training();
        require(maxSeqLength >= 2, Setting.MAX_SEQ_LENGTH, "must be at least 2, was " + maxSeqLength);
        DataOptions data = new DataOptions(maxSeqLength, trainOnInputs, templateKwargs);
        return new FineTuneConfig(model, trainingFile, validationFile, lora, training, warmupRatio, data, qlora, packing,
                device, computeDtype, runDir, resume);
    }

    private LoraConfig lora() {
        require(r >= 1, Setting.R, "the LoRA rank must be at least 1, was " + r);
        require(alpha > 0 && Double.isFinite(alpha), Setting.ALPHA, "must be a positive number, was " + alpha);
        require(dropout >= 0 && dropout < 1, Setting.DROPOUT, "must be in [0, 1), was " + dropout);
        require(targetModules != null && !targetModules.isEmpty()
                        && targetModules.stream().allMatch(m -> m != null && !m.isBlank()), Setting.TARGET_MODULES,
                "name modules such as q_proj, v_proj, or " + LoraConfig.ALL_LINEAR);
        require(!targetModules.contains(LoraConfig.ALL_LINEAR) || targetModules.size() == 1, Setting.TARGET_MODULES,
                LoraConfig.ALL_LINEAR + " stands alone, was " + targetModules);
        return new LoraConfig(r, alpha, dropout, targetModules, useRslora);
    }

    private TrainConfig training() {
        require(epochs >= 1, Setting.N_EPOCHS, "must be at least 1, was " + epochs);
        require(maxSteps >= 0, Setting.MAX_STEPS, "must be 0 (run the epochs) or positive, was " + maxSteps);
        require(batchSize >= 1, Setting.BATCH_SIZE, "must be at least 1, was " + batchSize);
        require(gradientAccumulation >= 1, Setting.GRADIENT_ACCUMULATION_STEPS, "must be at least 1, was " + gradientAccumulation);
        require(learningRate > 0 && Double.isFinite(learningRate), Setting.LEARNING_RATE, "must be positive, was " + learningRate);
        require(warmupSteps >= 0, Setting.WARMUP_STEPS, "must not be negative, was " + warmupSteps);
        require(warmupRatio >= 0 && warmupRatio < 1, Setting.WARMUP_RATIO, "must be in [0, 1), was " + warmupRatio);
        require(warmupRatio == 0 || warmupSteps == 0, Setting.WARMUP_RATIO, "give warmup_steps or warmup_ratio, not both");
        TrainConfig.Scheduler schedule = scheduler();
        require(weightDecay >= 0 && Double.isFinite(weightDecay), Setting.WEIGHT_DECAY, "must not be negative, was " + weightDecay);
        require(maxGradNorm >= 0 && Double.isFinite(maxGradNorm), Setting.MAX_GRAD_NORM,
                "must be 0 (no clipping) or positive, was " + maxGradNorm);
        require(evalEvery >= 0, Setting.EVAL_EVERY, "must be 0 (only at the end) or positive, was " + evalEvery);
        require(earlyStoppingPatience >= 0, Setting.EARLY_STOPPING_PATIENCE, "must be 0 (never) or positive, was "
                + earlyStoppingPatience);
        require(earlyStoppingPatience == 0 || validationFile != null, Setting.EARLY_STOPPING_PATIENCE,
                "needs a validation file to evaluate on");
        require(saveEvery >= 0, Setting.SAVE_EVERY, "must be 0 (only at the end) or positive, was " + saveEvery);
        require(saveTotalLimit >= 0, Setting.SAVE_TOTAL_LIMIT, "must be 0 (keep all) or positive, was " + saveTotalLimit);
        TrainConfig config = DEFAULTS.withEpochs(epochs).withMaxSteps(maxSteps).withBatch(batchSize, gradientAccumulation)
                .withSchedule(learningRate, warmupSteps, schedule)
                .withOptimizer(weightDecay, DEFAULTS.beta1(), DEFAULTS.beta2(), DEFAULTS.epsilon(), maxGradNorm)
                .withSeed(seed).withEvaluation(evalEvery, earlyStoppingPatience).withSaveEvery(saveEvery)
                .withSaveTotalLimit(saveTotalLimit).withGradientCheckpointing(gradientCheckpointing);
        return config;
    }

    private TrainConfig.Scheduler scheduler() {
        for (TrainConfig.Scheduler s : TrainConfig.Scheduler.values()) {
            if (scheduler != null && s.name().equalsIgnoreCase(scheduler.trim())) {
                return s;
            }
        }
        throw new InvalidSettingException(Setting.SCHEDULER, "must be linear or cosine, was " + scheduler);
    }

    private static void requireFile(boolean given, Path file, Setting setting) {
        require(given, setting, "a file is required");
        require(file == null || Files.isRegularFile(file), setting, file + " is not a readable file");
    }
}
