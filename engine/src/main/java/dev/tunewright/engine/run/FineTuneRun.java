package dev.tunewright.engine.run;

import ai.djl.Device;
import dev.tunewright.engine.model.LanguageModel;
import dev.tunewright.engine.model.Torch;
import dev.tunewright.engine.train.Checkpoints;
import dev.tunewright.engine.train.StepMetrics;
import dev.tunewright.engine.train.TrainConfig;
import dev.tunewright.engine.train.Trainer;
import dev.tunewright.engine.train.TrainerState;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One LoRA or QLoRA fine-tuning run, the same for the command line and the trainer workers: it checks the run folder
 * against the resume rule, reads and encodes the data (reporting it before anything trains), loads the base model,
 * trains with checkpoints, evaluation and early stopping, writes {@code metrics.jsonl} and the adapter, and stops
 * within one optimizer step when its {@link RunControl} asks. A run resumed from a checkpoint continues exactly:
 * on the CPU its numbers and final adapter equal those of a run never stopped.
 *
 * <p>Failures: an {@link InvalidSettingException} names a bad setting (also one only the model or data can reveal:
 * a device without a GPU, target modules the model does not have, an empty training file); a
 * {@link dev.tunewright.engine.data.DataException} names every unusable row of a file; an
 * {@link IllegalStateException} says the run folder's checkpoint belongs to another run (other data or settings).
 */
public final class FineTuneRun {

    private final FineTuneConfig config;
    private final RunListener listener;
    private final RunControl control;
    private RunData data;
    private RunPlan plan;

    public FineTuneRun(FineTuneConfig config, RunListener listener, RunControl control) {
        this.config = config;
        this.listener = listener == null ? RunListener.NONE : listener;
        this.control = control == null ? new RunControl() : control;
    }

    /** A run to its end, or until {@code control} stops it. */
    public static RunResult run(FineTuneConfig config, RunListener listener, RunControl control) throws IOException {
        return new FineTuneRun(config, listener, control).run();
    }

    /**
     * Checks the run folder, reads and encodes the data and decides where the run starts, without loading the model:
     * the plan (total steps, the data reports) is known before the slow part. {@link #run} calls it when it was not.
     */
    public RunPlan prepare() throws IOException {
        if (plan != null) {
            return plan;
        }
        Optional<Path> resumeFrom = config.folder().resumePoint(config.resume(),
                skipped -> listener.onLog(Level.WARNING, "passing over checkpoint " + skipped));
        data = RunData.read(config, listener);
        TrainConfig configured = config.training();
        int total = configured.totalSteps(data.train().size());
        TrainConfig training = configured.withSchedule(configured.learningRate(), config.warmupSteps(total),
                configured.scheduler());
        plan = new RunPlan(total, training.stepsPerEpoch(data.train().size()), resumeFrom.map(Checkpoints::stepOf).orElse(0),
                resumeFrom.orElse(null), data.train().size(), data.validation().size(), data.trainReport(),
                data.validationReport(), training);
        return plan;
    }

    /** Prepares when needed, loads the model and trains until the run completes, stops early, or is stopped. */
    public RunResult run() throws IOException {
        prepare();
        if (control.requested().isPresent()) {
            return stoppedBeforeTraining();
        }
        Device device = device();
        try (LanguageModel model = ModelLoading.load(config.model().folder(), device, config.dtype(), config.qlora(), listener)) {
            if (control.requested().isPresent()) {
                return stoppedBeforeTraining();
            }
            listener.onStart(plan);
            try (MetricsLog metrics = MetricsLog.open(config.folder().metrics(), plan.startStep());
                 Trainer trainer = trainer(model, new RunEvents(listener, metrics))) {
                trainer.baseModel(config.model().id(), config.model().revision());
                control.attach(trainer);
                try {
                    return result(trainer.train());
                } finally {
                    control.detach();
                }
            }
        }
    }

    private Device device() {
        try {
            return Torch.device(config.device());
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(Setting.DEVICE, e.getMessage(), e);
        }
    }

    private Trainer trainer(LanguageModel model, RunEvents events) {
        try {
            return new Trainer(model, config.lora(), plan.training(), data.train(), data.validation(), config.runDir(), events);
        } catch (IllegalArgumentException e) {
            // the data was checked before; what attaching the adapters refuses is a module the model does not have
            throw new InvalidSettingException(Setting.TARGET_MODULES, e.getMessage(), e);
        }
    }

    private RunResult result(Trainer.Result r) {
        RunResult.Outcome outcome = switch (r.outcome()) {
            case COMPLETED -> RunResult.Outcome.COMPLETED;
            case EARLY_STOPPED -> RunResult.Outcome.EARLY_STOPPED;
            case STOPPED -> stopOutcome();
        };
        return new RunResult(outcome, r.steps(), r.adapter(), bestAdapter(), r.lastCheckpoint(), r.resumedFrom(),
                trainedTokens(r.history()), r.history(), plan);
    }

    /** A run stopped before its first step: where it stands is its resume point's state. */
    private RunResult stoppedBeforeTraining() throws IOException {
        Path from = plan.resumeFrom();
        List<StepMetrics> history = from == null ? List.of() : TrainerState.read(from).history();
        return new RunResult(stopOutcome(), plan.startStep(), null, bestAdapter(), from, from, trainedTokens(history),
                history, plan);
    }

    private RunResult.Outcome stopOutcome() {
        return control.requested().orElse(RunControl.Stop.CANCEL) == RunControl.Stop.PAUSE
                ? RunResult.Outcome.PAUSED : RunResult.Outcome.CANCELLED;
    }

    private Path bestAdapter() {
        Path best = config.folder().bestAdapter();
        return Files.isDirectory(best) ? best : null;
    }

    private static long trainedTokens(List<StepMetrics> history) {
        return history.isEmpty() ? 0 : history.get(history.size() - 1).trainableTokensSeen();
    }
}
