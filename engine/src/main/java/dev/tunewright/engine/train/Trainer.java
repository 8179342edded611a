package dev.tunewright.engine.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.tunewright.engine.data.PackedSequence;
import dev.tunewright.engine.lora.LoraAdapters;
import dev.tunewright.engine.lora.LoraConfig;
import dev.tunewright.engine.model.DecoderNetwork;
import dev.tunewright.engine.model.LanguageModel;
import dev.tunewright.engine.model.Torch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * Supervised LoRA fine-tuning of a loaded model, in the shape of nanoGPT's loop: per step, the learning rate
 * from the schedule, accumulated micro-batch gradients, clipping by global norm, an AdamW update, zeroed
 * gradients; evaluation, checkpoints and early stopping around it. Every array of a step lives in a step
 * manager, so native memory between steps is the model, the adapter and the moments.
 *
 * <p>Everything random is a function of the seed and the position (see {@link TrainerState}), so a run
 * resumed from a checkpoint in {@code outputDir/checkpoints} continues bit-identically on the CPU.
 */
public final class Trainer implements AutoCloseable {

    /** Why {@link #train} returned. */
    public enum Outcome { COMPLETED, EARLY_STOPPED, STOPPED }

    /** The folders {@link #train} writes under its output folder. */
    public static final String ADAPTER = "adapter";
    public static final String BEST_ADAPTER = "best-adapter";
    public static final String CHECKPOINTS = "checkpoints";

    /**
     * @param adapter the final adapter folder (PEFT layout), null when the run was stopped before its end
     * @param resumedFrom the checkpoint the run continued from, null for a fresh start
     */
    public record Result(Outcome outcome, int steps, Path adapter, Path lastCheckpoint, Path resumedFrom,
                         List<StepMetrics> history) {
    }

    private final LanguageModel model;
    private final TrainConfig config;
    private final List<PackedSequence> train;
    private final List<PackedSequence> validation;
    private final Path outputDir;
    private final TrainingListener listener;
    private final LoraAdapters adapters;
    private final AdamW optimizer;
    private final List<NDArray> parameters;
    private final int padId;
    private final String fingerprint;
    private volatile boolean stopRequested;
    private volatile boolean checkpointOnStop = true;
    private String baseModelNameOrPath;
    private String baseRevision;

    /**
     * Attaches fresh adapters (initialised from the config's seed) to {@code model}; {@link #train} replaces
     * their values when it resumes.
     *
     * @param train sequences to train on, one per example or packed ({@code SequencePacker})
     * @param validation sequences to evaluate on; may be empty
     * @param outputDir receives {@code checkpoints/}, the final {@code adapter/} and, with validation data,
     *     {@code best-adapter/} (the lowest validation loss so far; the final adapter when early stopping is on)
     */
    public Trainer(LanguageModel model, LoraConfig lora, TrainConfig config, List<PackedSequence> train,
                   List<PackedSequence> validation, Path outputDir, TrainingListener listener) {
        if (train.isEmpty()) {
            throw new IllegalArgumentException("no training sequences");
        }
        this.model = model;
        this.config = config;
        this.train = List.copyOf(train);
        this.validation = List.copyOf(validation);
        this.outputDir = outputDir;
        this.listener = listener == null ? TrainingListener.NONE : listener;
        this.padId = model.config().padTokenId() == null ? 0 : model.config().padTokenId();
        this.fingerprint = Fingerprint.of(config, lora, this.train, model.config().vocabSize());
        this.adapters = LoraAdapters.attach(model, lora, config.seed());
        this.optimizer = AdamW.of(model.newManager(), config);
        this.parameters = List.copyOf(adapters.byPeftKey().values());
    }

    /** The adapters being trained, live in the model until {@link #close}. */
    public LoraAdapters adapters() {
        return adapters;
    }

    /**
     * Names the base model in the final adapter's {@code adapter_config.json}, so that PEFT and vLLM find the
     * base the adapter was trained on; without it the field is null.
     */
    public Trainer baseModel(String nameOrPath, String revision) {
        this.baseModelNameOrPath = nameOrPath;
        this.baseRevision = revision;
        return this;
    }

    /** Asks the run to stop after the current step and checkpoint there; any thread. */
    public void requestStop() {
        requestStop(true);
    }

    /**
     * Asks the run to stop after the optimizer step in flight (and its evaluation, when one is due); any thread.
     * With {@code checkpoint} the run writes a checkpoint at that step, so a later run continues exactly from it
     * (a pause); without, it writes nothing more and its last checkpoint stays the newest (a cancel). A later call
     * replaces the choice of an earlier one that the run has not acted on yet.
     */
    public void requestStop(boolean checkpoint) {
        checkpointOnStop = checkpoint;
        stopRequested = true;
    }

    public Path checkpointDir() {
        return outputDir.resolve(CHECKPOINTS);
    }

    /** Trains to the end, or resumes from the newest intact checkpoint and trains to the end; on any thread. */
    public Result train() throws IOException {
        Torch.gradientsOff();
        Optional<Path> resume = Checkpoints.latestValid(checkpointDir(), skipped -> { });
        TrainerState state = resume.isPresent() ? resumeFrom(resume.get()) : TrainerState.start(config.seed(), fingerprint);
        int total = config.totalSteps(train.size());
        DataOrder order = new DataOrder(train.size(), config.seed(), state.epoch(), state.cursor());
        List<StepMetrics> history = new ArrayList<>(state.history());
        int step = state.step();
        long tokensSeen = state.trainableTokensSeen();
        Double best = state.bestValidationLoss();
        int patience = state.evaluationsWithoutImprovement();
        Path lastCheckpoint = resume.orElse(null);
        int savedAt = resume.isPresent() ? step : -1;
        Outcome outcome = Outcome.COMPLETED;
        adapters.setTraining(true);
        while (step < total) {
            if (stopRequested) {
                outcome = Outcome.STOPPED;
                break;
            }
            int epoch = order.epoch() + 1;
            List<int[]> plan = order.nextStep(config.microBatchSize(), config.gradientAccumulation());
            StepMetrics metrics = trainStep(plan, step, epoch, total, tokensSeen);
            step++;
            tokensSeen = metrics.trainableTokensSeen();
            boolean evaluationDue = !validation.isEmpty()
                    && (step == total || (config.evalEvery() > 0 && step % config.evalEvery() == 0));
            if (evaluationDue) {
                Evaluation evaluation = evaluate();
                listener.onEvaluation(step, evaluation);
                metrics = metrics.withEvaluation(evaluation);
                if (best == null || metrics.validationLoss() < best) {
                    best = metrics.validationLoss();
                    patience = 0;
                    adapters.save(bestAdapterDir(), baseModelNameOrPath, baseRevision);
                } else {
                    patience++;
                }
            }
            history.add(metrics);
            listener.onStep(metrics);
            boolean earlyStop = evaluationDue && config.earlyStoppingPatience() > 0
                    && patience >= config.earlyStoppingPatience();
            if (config.saveEvery() > 0 && step % config.saveEvery() == 0 && step < total && !earlyStop) {
                lastCheckpoint = save(new TrainerState(step, order.epoch(), order.cursor(), config.seed(), tokensSeen,
                        best, patience, fingerprint, history));
                savedAt = step;
            }
            if (earlyStop) {
                outcome = Outcome.EARLY_STOPPED;
                break;
            }
        }
        adapters.setTraining(false);
        // a stopped run checkpoints where it stopped unless asked not to (a cancel), and never before its first step
        boolean checkpointNow = outcome != Outcome.STOPPED || (checkpointOnStop && step > 0);
        if (savedAt != step && checkpointNow) {
            lastCheckpoint = save(new TrainerState(step, order.epoch(), order.cursor(), config.seed(), tokensSeen, best,
                    patience, fingerprint, history));
        }
        Path adapter = null;
        if (outcome != Outcome.STOPPED) {
            // with early stopping the result is the best evaluated adapter, as HF's load_best_model_at_end gives;
            // the final checkpoint above keeps the last weights, so a later resume still continues exactly
            if (config.earlyStoppingPatience() > 0 && Files.isDirectory(bestAdapterDir())) {
                adapters.restore(bestAdapterDir());
            }
            adapter = outputDir.resolve(ADAPTER);
            adapters.save(adapter, baseModelNameOrPath, baseRevision);
        }
        return new Result(outcome, step, adapter, lastCheckpoint, resume.orElse(null), history);
    }

    /** One optimizer step over the micro-batches of {@code plan}. */
    private StepMetrics trainStep(List<int[]> plan, int step, int epoch, int total, long tokensSeen) {
        long started = System.nanoTime();
        double lr = Schedule.learningRate(config, step, total);
        List<MicroBatch> batches = new ArrayList<>(plan.size());
        for (int[] indices : plan) {
            List<PackedSequence> rows = new ArrayList<>(indices.length);
            for (int i : indices) {
                rows.add(train.get(i));
            }
            batches.add(MicroBatch.of(rows, padId));
        }
        int trainable = batches.stream().mapToInt(MicroBatch::trainableTokens).sum();
        int real = batches.stream().mapToInt(MicroBatch::realTokens).sum();
        double lossSum = 0;
        double norm;
        try (NDManager scope = model.newManager()) {
            for (int m = 0; m < batches.size(); m++) {
                lossSum += accumulate(batches.get(m), trainable, scope, dropoutSeeds(step, m));
            }
            List<NDArray> gradients = Gradients.of(parameters, scope);
            norm = Gradients.clipByGlobalNorm(gradients, config.maxGradNorm());
            optimizer.update(adapters.byPeftKey(), gradients, lr, scope);
            Gradients.zero(gradients);
        }
        double seconds = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
        return new StepMetrics(step + 1, epoch, lossSum / Math.max(1, trainable), lr, norm, real / seconds,
                tokensSeen + trainable, null, null);
    }

    /**
     * Forward and backward of one micro-batch, its loss divided by the trained tokens of the whole step so
     * the accumulated gradient is that of the mean over the step; returns the unscaled loss sum.
     */
    private double accumulate(MicroBatch batch, int stepTokens, NDManager scope, IntConsumer beforeLayer) {
        return config.gradientCheckpointing()
                ? ActivationCheckpointing.accumulate(model.network(), batch, stepTokens, scope, beforeLayer)
                : backward(model.network(), batch, stepTokens, scope, beforeLayer);
    }

    /**
     * The ordinary backward of one micro-batch: the decoder keeps its whole graph, the head and loss run chunk by
     * chunk on a detached copy of the last hidden state ({@link ChunkedLoss}), then the decoder's backward
     * starts from that copy's gradient. Returns the unscaled loss sum.
     */
    static double backward(DecoderNetwork network, MicroBatch batch, int stepTokens, NDManager scope, IntConsumer beforeLayer) {
        try (NDManager micro = scope.newSubManager()) {
            // the decoder with its graph, up to the last hidden state (B, T, H)
            NDArray hidden;
            try (GradientCollector collector = Torch.engine().newGradientCollector()) {
                hidden = network.hidden(micro, batch.inputIds(), batch.positionIds(), batch.segmentIds(), beforeLayer);
            }
            ChunkedLoss.Result loss = ChunkedLoss.backward(network, hidden.stopGradient(), batch.labels(), stepTokens);
            if (loss.hiddenGradient() != null) {
                Gradients.backwardFrom(hidden, loss.hiddenGradient());
            }
            return loss.lossSum();
        }
    }

    /**
     * Reseeds dropout before each layer of micro-batch {@code micro} of step {@code step}: the masks then depend on
     * that position alone, so a resumed run draws the ones the uninterrupted run drew, and a layer recomputed by
     * activation checkpointing draws the ones its first pass drew.
     */
    private IntConsumer dropoutSeeds(int step, int micro) {
        return layer -> Torch.engine().setRandomSeed(TrainerState.dropoutSeed(config.seed(), step, micro, layer));
    }

    /** Validation loss and accuracy with dropout off and no autograd graph. */
    public Evaluation evaluate() {
        boolean training = adapters.isTraining();
        adapters.setTraining(false);
        try {
            return evaluate(model, validation, config.microBatchSize(), padId);
        } finally {
            adapters.setTraining(training);
        }
    }

    /** Loss and greedy accuracy of {@code model} as it is (adapters included) over {@code data}'s trained tokens. */
    public static Evaluation evaluate(LanguageModel model, List<PackedSequence> data, int microBatchSize, int padId) {
        return Torch.withoutGradients(() -> evaluateBatches(model, data, microBatchSize, padId));
    }

    private static Evaluation evaluateBatches(LanguageModel model, List<PackedSequence> data, int microBatchSize, int padId) {
        double loss = 0;
        long correct = 0;
        long tokens = 0;
        for (int from = 0; from < data.size(); from += microBatchSize) {
            MicroBatch batch = MicroBatch.of(data.subList(from, Math.min(data.size(), from + microBatchSize)), padId);
            try (NDManager scope = model.newManager()) {
                NDArray hidden = model.network().hidden(scope, batch.inputIds(), batch.positionIds(), batch.segmentIds(),
                        layer -> { });
                ChunkedLoss.Scores scores = ChunkedLoss.score(model.network(), hidden, batch.labels());
                loss += scores.lossSum();
                correct += scores.correct();
                tokens += batch.trainableTokens();
            }
        }
        return new Evaluation(loss / Math.max(1, tokens), (double) correct / Math.max(1, tokens), tokens);
    }

    private TrainerState resumeFrom(Path checkpoint) throws IOException {
        TrainerState state = RunFiles.readState(checkpoint);
        if (!fingerprint.equals(state.fingerprint())) {
            throw new IllegalStateException(checkpoint + " belongs to a run with other data, model or training "
                    + "settings; resuming it would not continue that run (use a new output folder)");
        }
        RunFiles.restore(checkpoint, adapters, optimizer);
        return state;
    }

    private Path save(TrainerState state) throws IOException {
        Path path = Checkpoints.write(checkpointDir(), state.step(), dir -> RunFiles.write(dir, adapters, optimizer, state));
        Checkpoints.prune(checkpointDir(), config.saveTotalLimit(), path);
        listener.onCheckpoint(state.step(), path);
        return path;
    }

    /** The adapter of the lowest validation loss so far, rewritten at each improvement. */
    public Path bestAdapterDir() {
        return outputDir.resolve(BEST_ADAPTER);
    }

    /** Detaches and frees the adapters and the optimizer state. */
    @Override
    public void close() {
        optimizer.close();
        adapters.close();
    }
}
