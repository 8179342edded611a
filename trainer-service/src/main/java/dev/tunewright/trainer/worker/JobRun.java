package dev.tunewright.trainer.worker;

import dev.tunewright.common.queue.Lease;
import dev.tunewright.common.queue.LeaseGuard;
import dev.tunewright.common.queue.LeaseLostException;
import dev.tunewright.common.queue.WorkQueue;
import dev.tunewright.contracts.job.JobLineage;
import dev.tunewright.engine.data.DataReport;
import dev.tunewright.engine.run.RunControl;
import dev.tunewright.engine.train.StepMetrics;
import dev.tunewright.trainer.config.TrainerConfig;
import dev.tunewright.trainer.service.JobEvents;
import dev.tunewright.trainer.service.JobService;
import dev.tunewright.trainer.service.JobSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * One attempt at one job, from the listener's side: it hears the run's reports on the training thread and turns
 * them into the job's events, progress and checkpoints, and it decides after every step whether the run must stop
 * (a cancel or pause asked through the API, the worker shutting down, the lease lost). Step reports are written on
 * a thread of their own so the database never paces training; checkpoints are stored on the training thread, in
 * order, because a resume depends on them.
 */
final class JobRun implements TrainingRunner.Listener {

    /** Why a run was asked to stop. */
    enum Stop { CANCEL, PAUSE, SHUTDOWN, LEASE_LOST }

    private static final Logger LOG = Logger.getLogger(JobRun.class);

    private final Lease lease;
    private final LeaseGuard guard;
    private final JobLifecycle lifecycle;
    private final RunArtifacts artifacts;
    private final WorkQueue queue;
    private final TrainerConfig.Worker config;
    private final WorkerMetrics metrics;
    private final JobSettings settings;
    private final JobLineage lineage;
    private final boolean evaluateCheckpoints;
    private final ExecutorService writer;
    private final RunControl control = new RunControl();
    private final List<StepReport> pending = new ArrayList<>();
    private final Map<Integer, StepReport> byStep = new LinkedHashMap<>();
    private volatile Stop stop;
    private volatile boolean publishPending;
    private int fromStep;
    private long startedNanos;
    private long lastStepNanos;
    private long lastStopCheck;
    private long lastPublished;
    private int lastCheckpointStep;
    private int lastStep;
    private int stopSeenAtStep;

    JobRun(Lease lease, LeaseGuard guard, JobLifecycle lifecycle, RunArtifacts artifacts, WorkQueue queue,
            TrainerConfig.Worker config, WorkerMetrics metrics, JobSettings settings, JobLineage lineage,
            boolean evaluateCheckpoints, int restoredStep) {
        this.lease = lease;
        this.guard = guard;
        this.lifecycle = lifecycle;
        this.artifacts = artifacts;
        this.queue = queue;
        this.config = config;
        this.metrics = metrics;
        this.settings = settings;
        this.lineage = lineage;
        this.evaluateCheckpoints = evaluateCheckpoints;
        this.lastCheckpointStep = restoredStep;
        long now = System.nanoTime();
        this.lastStopCheck = now - config.stopCheckEvery().toNanos();
        this.lastPublished = now - config.progressEvery().toNanos();
        this.writer = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tunewright-job-events-" + lease.id());
            thread.setDaemon(true);
            return thread;
        });
        guard.onStop(() -> stop(guard.lost() ? Stop.LEASE_LOST : Stop.SHUTDOWN));
    }

    /** What the engine run is stopped through. */
    RunControl control() {
        return control;
    }

    /**
     * Stops the run at its next step boundary, once: a pause (and a worker handing the job back) writes a checkpoint
     * there, a cancel keeps the last one written, and a lost lease writes nothing more.
     */
    private void stop(Stop why) {
        if (stop != null) {
            return;
        }
        stop = why;
        if (why == Stop.PAUSE || why == Stop.SHUTDOWN) {
            control.pause();
        } else {
            control.cancel();
        }
    }

    Stop stop() {
        return stop;
    }

    int lastCheckpointStep() {
        return lastCheckpointStep;
    }

    /** The step after which the worker read the stop request (the run stops at that boundary). */
    int stopSeenAtStep() {
        return stopSeenAtStep;
    }

    @Override
    public void dataReport(String split, DataReport report) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("split", split);
        data.put("kept", report.kept());
        data.put("truncated", report.truncated());
        data.put("dropped", report.dropped());
        data.put("total_tokens", report.totalTokens());
        data.put("trained_tokens", report.trainableTokens());
        data.put("mean_trained_share", report.meanTrainableShare());
        String message = String.format(Locale.ROOT, "%s data: %d examples kept, %d truncated, %d dropped; %d tokens, %d"
                        + " trained (%.0f%% of each example on average)", split.substring(0, 1).toUpperCase(Locale.ROOT)
                        + split.substring(1), report.kept(), report.truncated(), report.dropped(), report.totalTokens(),
                report.trainableTokens(), report.meanTrainableShare() * 100);
        lifecycle.message(lease, message, data, report.dropped() > 0 || report.truncated() > 0);
    }

    @Override
    public void started(int totalSteps, int fromStep) {
        this.fromStep = fromStep;
        this.startedNanos = System.nanoTime();
        this.lastStepNanos = startedNanos;
        this.lastStep = fromStep;
        // a cancel or pause asked while the data was read or the model loaded stops the run before its first step
        checkStop(startedNanos);
    }

    @Override
    public void step(StepMetrics step, int totalSteps) {
        double elapsed = (System.nanoTime() - startedNanos) / 1e9;
        StepReport report = StepReport.of(step, totalSteps, settings.nEpochs(), elapsed / Math.max(1, step.step() - fromStep),
                JobEvents.now());
        long now = System.nanoTime();
        metrics.step(report, now - lastStepNanos);
        lastStepNanos = now;
        boolean publish = step.evaluated() || step.step() >= totalSteps
                || now - lastPublished >= config.progressEvery().toNanos();
        if (publish) {
            lastPublished = now;
        }
        synchronized (pending) {
            pending.add(report);
            byStep.put(report.step(), report);
            publishPending |= publish;
        }
        writer.execute(this::writePending);
        lastStep = step.step();
        checkStop(now);
    }

    @Override
    public void checkpoint(int step, Path folder) {
        flush();
        try {
            RunArtifacts.StoredCheckpoint stored = artifacts.storeCheckpoint(folder);
            StepReport report;
            synchronized (pending) {
                report = byStep.get(step);
                byStep.keySet().removeIf(s -> s <= step);
            }
            Map<String, Double> checkpointMetrics = report == null ? Map.of("step", (double) step) : report.checkpointMetrics();
            lifecycle.checkpoint(lease, step, stored.checkpointArtifactId(), stored.adapterArtifactId(), checkpointMetrics,
                    evaluateCheckpoints, lineage);
            lastCheckpointStep = step;
        } catch (LeaseLostException e) {
            stop(Stop.LEASE_LOST);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot store the checkpoint of step " + step + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void log(boolean warn, String message) {
        lifecycle.message(lease, message, Map.of(), warn);
    }

    /** A cancel or pause asked through the API is read at most every {@code stop-check-every}, after a step. */
    private void checkStop(long now) {
        if (stop != null || now - lastStopCheck < config.stopCheckEvery().toNanos()) {
            return;
        }
        lastStopCheck = now;
        queue.stopRequest(lease).ifPresent(request -> {
            stopSeenAtStep = lastStep;
            stop(JobService.PAUSE.equals(request) ? Stop.PAUSE : Stop.CANCEL);
        });
    }

    private void writePending() {
        List<StepReport> batch;
        boolean publish;
        synchronized (pending) {
            if (pending.isEmpty()) {
                return;
            }
            batch = List.copyOf(pending);
            pending.clear();
            publish = publishPending;
            publishPending = false;
        }
        try {
            lifecycle.progress(lease, batch, publish);
        } catch (LeaseLostException e) {
            stop(Stop.LEASE_LOST);
        } catch (RuntimeException e) {
            LOG.warnf("job %s: recording steps %d-%d failed: %s", lease.id(), batch.get(0).step(),
                    batch.get(batch.size() - 1).step(), e.getMessage());
        }
    }

    /** Waits until every step reported so far is written. */
    void flush() {
        try {
            writer.submit(() -> { }).get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warnf("job %s: step reports not written in time: %s", lease.id(), e);
        }
    }

    void close() {
        flush();
        writer.shutdownNow();
    }
}
