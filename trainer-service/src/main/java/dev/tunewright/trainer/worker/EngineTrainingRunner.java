package dev.tunewright.trainer.worker;

import dev.tunewright.engine.data.DataReport;
import dev.tunewright.engine.run.DataSplit;
import dev.tunewright.engine.run.FineTuneConfig;
import dev.tunewright.engine.run.FineTuneRun;
import dev.tunewright.engine.run.Resume;
import dev.tunewright.engine.run.RunControl;
import dev.tunewright.engine.run.RunListener;
import dev.tunewright.engine.run.RunPlan;
import dev.tunewright.engine.run.RunResult;
import dev.tunewright.engine.run.SavedCheckpoint;
import dev.tunewright.engine.train.StepMetrics;
import dev.tunewright.trainer.service.JobSettings;
import dev.tunewright.trainer.service.LoraSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.lang.System.Logger.Level;

/**
 * The worker's training as the engine's one fine-tuning run ({@link FineTuneRun}, the same as {@code ftctl model
 * train}): a job's resolved settings become the run's config, resuming the run folder's newest checkpoint if it has
 * one, and the run's reports go to the job's listener.
 */
@ApplicationScoped
public class EngineTrainingRunner implements TrainingRunner {

    @Override
    public Result run(Spec spec, Listener listener, RunControl control) throws IOException {
        JobSettings settings = spec.settings();
        LoraSettings lora = settings.lora();
        FineTuneConfig config = FineTuneConfig.builder()
                .model(spec.modelDir(), spec.baseModel(), spec.baseRevision())
                .trainingFile(spec.trainFile())
                .validationFile(spec.validationFile())
                .runDir(spec.runDir())
                .resume(Resume.IF_ANY)
                .device(spec.device() == null ? "auto" : spec.device())
                .dtype(spec.dtype())
                .lora(lora.r(), lora.alpha(), lora.dropout(), lora.targetModules(), lora.useRslora())
                .qlora(lora.qlora())
                .epochs(settings.nEpochs())
                .batch(settings.microBatchSize(), lora.gradientAccumulationSteps())
                .learningRate(settings.learningRate())
                .warmupRatio(lora.warmupRatio())
                .scheduler(lora.scheduler())
                .seed(spec.seed())
                .evaluation(lora.evalEvery(), lora.earlyStoppingPatience())
                .checkpoints(lora.saveEvery(), 0)
                .gradientCheckpointing(lora.gradientCheckpointing())
                .maxSeqLength(lora.maxSeqLength())
                .packing(lora.packing())
                .build();
        int[] total = {0};
        RunResult result = FineTuneRun.run(config, new RunListener() {
            @Override
            public void onDataReport(DataSplit split, DataReport report) {
                listener.dataReport(split == DataSplit.TRAIN ? "training" : "validation", report);
            }

            @Override
            public void onStart(RunPlan plan) {
                total[0] = plan.totalSteps();
                listener.started(plan.totalSteps(), plan.startStep());
            }

            @Override
            public void onStep(StepMetrics metrics) {
                listener.step(metrics, total[0]);
            }

            @Override
            public void onCheckpoint(SavedCheckpoint checkpoint) {
                listener.checkpoint(checkpoint.step(), checkpoint.folder());
            }

            @Override
            public void onLog(Level level, String message) {
                listener.log(level.getSeverity() >= Level.WARNING.getSeverity(), message);
            }
        }, control);
        return new Result(switch (result.outcome()) {
            case COMPLETED -> Outcome.COMPLETED;
            case EARLY_STOPPED -> Outcome.EARLY_STOPPED;
            case CANCELLED, PAUSED -> Outcome.STOPPED;
        }, result.steps(), result.plan().totalSteps(), result.adapter(), result.history());
    }
}
