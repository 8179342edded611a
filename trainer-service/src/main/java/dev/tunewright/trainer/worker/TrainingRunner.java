package dev.tunewright.trainer.worker;

import dev.tunewright.engine.data.DataReport;
import dev.tunewright.engine.run.RunControl;
import dev.tunewright.engine.train.StepMetrics;
import dev.tunewright.trainer.service.JobSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The one call a worker makes into the engine: run a job's training in a run folder, resuming from the newest
 * checkpoint in {@code runDir/checkpoints} when there is one, and report as it goes. Everything a run decides
 * (LoRA or QLoRA loading, packing, checkpoint names, resume rules) is the engine's; the worker only moves files
 * in and out of the artifact store and records what the listener hears.
 */
public interface TrainingRunner {

    /**
     * @param modelDir       the base model's folder, already resolved (downloaded) by the worker
     * @param baseModel      what the adapter's config names as its base (hub id, installed name or folder)
     * @param baseRevision   the pinned revision, or null
     * @param validationFile null for none
     * @param device         {@code cpu}, {@code gpu}, {@code gpu:N}, or null for the engine's choice
     * @param dtype          {@code auto}, {@code float32} or {@code bfloat16}
     */
    record Spec(Path modelDir, String baseModel, String baseRevision, Path trainFile, Path validationFile, Path runDir,
            JobSettings settings, long seed, String device, String dtype) {
    }

    /** What the run reports, on the training thread; a slow listener slows training rather than losing reports. */
    interface Listener {

        /** What reading a split kept, cut and dropped, before any training. */
        void dataReport(String split, DataReport report);

        /** Training starts at {@code fromStep} (0, or the step of the checkpoint it resumed) of {@code totalSteps}. */
        void started(int totalSteps, int fromStep);

        /** After each optimizer step and its evaluation, if one was due. */
        void step(StepMetrics metrics, int totalSteps);

        /** A complete, verified checkpoint folder of {@code step} exists. */
        void checkpoint(int step, Path folder);

        /** A line for the team: what was quantized, which torn checkpoint was passed over. */
        void log(boolean warn, String message);
    }

    /** How a run ended. */
    enum Outcome { COMPLETED, EARLY_STOPPED, STOPPED }

    /**
     * @param adapter the final adapter folder (PEFT layout); null when stopped
     * @param history every step's metrics, those before a resume included
     */
    record Result(Outcome outcome, int steps, int totalSteps, Path adapter, List<StepMetrics> history) {
    }

    /**
     * Trains until the end, or until {@code control} is told to stop from any thread: the run then ends at its next
     * step boundary and returns {@link Outcome#STOPPED}, after writing a checkpoint there when it was paused.
     */
    Result run(Spec spec, Listener listener, RunControl control) throws IOException;
}
