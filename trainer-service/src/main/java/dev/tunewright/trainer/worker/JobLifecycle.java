package dev.tunewright.trainer.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunewright.common.outbox.Outbox;
import dev.tunewright.common.queue.Lease;
import dev.tunewright.common.queue.LeaseLostException;
import dev.tunewright.common.queue.WorkQueue;
import dev.tunewright.contracts.Topics;
import dev.tunewright.contracts.job.CheckpointSaved;
import dev.tunewright.contracts.job.JobCancelled;
import dev.tunewright.contracts.job.JobFailed;
import dev.tunewright.contracts.job.JobLineage;
import dev.tunewright.contracts.job.JobProgress;
import dev.tunewright.contracts.job.JobStarted;
import dev.tunewright.contracts.job.JobSucceeded;
import dev.tunewright.trainer.repository.Job;
import dev.tunewright.trainer.repository.JobCheckpoint;
import dev.tunewright.trainer.repository.JobCheckpointRepository;
import dev.tunewright.trainer.repository.JobRepository;
import dev.tunewright.trainer.service.FineTunedModels;
import dev.tunewright.trainer.service.Ids;
import dev.tunewright.trainer.service.JobEvents;
import dev.tunewright.trainer.service.JobService;
import dev.tunewright.trainer.service.JobStatus;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A worker's writes about the job it holds, each one transaction fenced by the lease: a worker whose lease expired
 * (and whose job another worker may have resumed) can neither report nor end the job. Lifecycle events go out
 * through the outbox in the same transaction as the state they announce, so each is published once per state
 * change, however often workers die around it.
 */
@ApplicationScoped
public class JobLifecycle {

    /** What a worker needs to run a job it claimed. */
    public record Claimed(Job job, int attempt, Optional<JobCheckpoint> resumeFrom) {
    }

    private final JobRepository jobs;
    private final JobCheckpointRepository checkpoints;
    private final WorkQueue queue;
    private final Outbox outbox;
    private final JobEvents events;
    private final ObjectMapper json;

    public JobLifecycle(JobRepository jobs, JobCheckpointRepository checkpoints, WorkQueue queue, Outbox outbox,
            JobEvents events, ObjectMapper json) {
        this.jobs = jobs;
        this.checkpoints = checkpoints;
        this.queue = queue;
        this.outbox = outbox;
        this.events = events;
        this.json = json;
    }

    /**
     * Marks a claimed job running and announces it; empty when there is nothing to run: the job ended or was paused
     * while queued (the stale queue entry is removed), a stop was asked for before training began (the job ends
     * as asked), or it was claimed too often (it fails).
     */
    public Optional<Claimed> start(Lease lease, String workerId, int maxAttempts) {
        return fenced(lease, () -> {
            Job job = jobs.lock(lease.id()).orElse(null);
            if (job == null || job.status.ended() || job.status == JobStatus.PAUSED) {
                queue.complete(lease);
                return Optional.<Claimed>empty();
            }
            if (job.stopRequest != null) {
                endStopped(lease, job, job.stopRequest, Map.of("stopped_at_step", job.step));
                return Optional.<Claimed>empty();
            }
            if (lease.attempts() > maxAttempts) {
                end(lease, job, JobStatus.FAILED, "too_many_attempts", "the job was started " + maxAttempts
                        + " times without finishing (its workers kept stopping); see the worker logs", null);
                return Optional.<Claimed>empty();
            }
            Optional<JobCheckpoint> resume = checkpoints.newestFirst(job.id).stream().findFirst();
            job.attempts++;
            job.status = JobStatus.RUNNING;
            job.stepSeconds = null;
            if (job.startedAt == null) {
                job.startedAt = JobEvents.now();
            }
            outbox.enqueue(Topics.JOBS, JobStarted.of(job.teamId, job.id, workerId, job.attempts));
            events.message(job.id, JobEvents.INFO, resume.isEmpty()
                    ? "Fine-tuning job started" + (job.attempts > 1 ? " (attempt " + job.attempts + ")" : "")
                    : "Fine-tuning job resumed from the checkpoint of step " + resume.get().step + " (attempt "
                            + job.attempts + ")", Map.of("worker", workerId, "attempt", job.attempts));
            return Optional.of(new Claimed(job, job.attempts, resume));
        });
    }

    /** Steps done since the last report: their metrics events, the job's progress, and maybe a progress event. */
    public void progress(Lease lease, List<StepReport> steps, boolean publish) {
        if (steps.isEmpty()) {
            return;
        }
        fenced(lease, () -> {
            Job job = jobs.findById(lease.id());
            StepReport last = steps.get(steps.size() - 1);
            for (StepReport step : steps) {
                events.metrics(job.id, step.step(), step.endedAt(), "Step " + step.step() + "/" + step.totalSteps() + ": training loss="
                        + String.format(java.util.Locale.ROOT, "%.4f", step.trainLoss()), step.data());
            }
            job.step = last.step();
            job.totalSteps = last.totalSteps();
            job.epoch = last.epoch();
            job.stepSeconds = last.meanStepSeconds();
            if (publish) {
                outbox.enqueue(Topics.JOB_PROGRESS, JobProgress.of(job.teamId, job.id, last.step(), last.totalSteps(),
                        last.epoch(), last.trainLoss(), last.learningRate(), last.gradNorm(), last.tokensPerSecond(),
                        last.validLoss(), last.validAccuracy()));
            }
            return null;
        });
    }

    /** A message event of the run: the data report, a log line of the engine. */
    public void message(Lease lease, String message, Map<String, Object> data, boolean warn) {
        fenced(lease, () -> {
            events.message(lease.id(), warn ? JobEvents.WARN : JobEvents.INFO, message, data);
            return null;
        });
    }

    /** Records a stored checkpoint, once per step, and announces it. */
    public void checkpoint(Lease lease, int step, String checkpointArtifactId, String adapterArtifactId,
            Map<String, Double> metrics, boolean evaluate, JobLineage lineage) {
        fenced(lease, () -> {
            Job job = jobs.findById(lease.id());
            JobCheckpoint checkpoint = new JobCheckpoint();
            checkpoint.id = Ids.random("ftckpt");
            checkpoint.jobId = job.id;
            checkpoint.step = step;
            checkpoint.checkpointArtifactId = checkpointArtifactId;
            checkpoint.adapterArtifactId = adapterArtifactId;
            checkpoint.metrics = write(metrics);
            checkpoint.createdAt = JobEvents.now();
            if (checkpoints.record(checkpoint)) {
                outbox.enqueue(Topics.JOBS, CheckpointSaved.of(job.teamId, job.id, step, checkpointArtifactId,
                        checkpoint.id, adapterArtifactId, metrics, evaluate, lineage));
                events.message(job.id, JobEvents.INFO, "Checkpoint created at step " + step, Map.of("step", step,
                        "checkpoint_id", checkpoint.id, "checkpoint_artifact_id", checkpointArtifactId,
                        "adapter_artifact_id", adapterArtifactId));
            }
            return null;
        });
    }

    /** The run finished: the adapter and the result file are stored; the job succeeds and leaves the queue. */
    public void succeed(Lease lease, String adapterArtifactId, String resultArtifactId, long trainedTokens,
            double finalTrainLoss, Double finalValidLoss, JobLineage lineage, int steps, Map<String, Object> evaluation) {
        fenced(lease, () -> {
            Job job = jobs.lock(lease.id()).orElseThrow();
            queue.complete(lease);
            String model = FineTunedModels.id(job);
            job.status = JobStatus.SUCCEEDED;
            job.stopRequest = null;
            job.fineTunedModel = model;
            job.adapterArtifactId = adapterArtifactId;
            job.resultArtifactId = resultArtifactId;
            job.trainedTokens = trainedTokens;
            job.step = steps;
            job.lineage = write(lineage);
            job.finishedAt = JobEvents.now();
            outbox.enqueue(Topics.JOBS, JobSucceeded.of(job.teamId, job.id, adapterArtifactId, job.modelId, trainedTokens,
                    finalTrainLoss, finalValidLoss, model, job.suffix, lineage, resultArtifactId, evaluation));
            events.message(job.id, JobEvents.INFO, "New fine-tuned model created", Map.of("fine_tuned_model", model,
                    "adapter_artifact_id", adapterArtifactId));
            events.message(job.id, JobEvents.INFO, "The job has successfully completed");
            return null;
        });
    }

    public void fail(Lease lease, String code, String message, String param) {
        fenced(lease, () -> {
            Job job = jobs.lock(lease.id()).orElseThrow();
            end(lease, job, JobStatus.FAILED, code, message, param);
            return null;
        });
    }

    /**
     * The run stopped on a cancel or pause request after step {@code step}; its last checkpoint is recorded already.
     * {@code seenAtStep} is the step after which the worker read the request: the run stops at that step boundary.
     */
    public void stopped(Lease lease, String request, int step, int seenAtStep) {
        fenced(lease, () -> {
            Job job = jobs.lock(lease.id()).orElseThrow();
            job.step = step;
            endStopped(lease, job, request, Map.of("stopped_at_step", step, "request_seen_at_step", seenAtStep));
            return null;
        });
    }

    /** The worker is shutting down: the job goes back to the queue for another worker to resume. */
    public void handBack(Lease lease, int step) {
        fenced(lease, () -> {
            Job job = jobs.lock(lease.id()).orElseThrow();
            if (job.stopRequest != null) {
                endStopped(lease, job, job.stopRequest, Map.of("stopped_at_step", job.step));
                return null;
            }
            job.status = JobStatus.QUEUED;
            events.message(job.id, JobEvents.INFO, "The worker is shutting down; the job goes back to the queue and"
                    + " resumes from its checkpoint of step " + step);
            return null;
        });
        queue.release(lease, java.time.Duration.ZERO, "worker shut down");
    }

    private void endStopped(Lease lease, Job job, String request, Map<String, Object> data) {
        if (JobService.PAUSE.equals(request)) {
            queue.complete(lease);
            job.status = JobStatus.PAUSED;
            job.stopRequest = null;
            job.stepSeconds = null;
            events.message(job.id, JobEvents.INFO, "Job paused at step " + job.step + "; resume continues from its"
                    + " last checkpoint", data);
        } else {
            end(lease, job, JobStatus.CANCELLED, null, null, null, data);
        }
    }

    private void end(Lease lease, Job job, JobStatus status, String code, String message, String param) {
        end(lease, job, status, code, message, param, Map.of());
    }

    private void end(Lease lease, Job job, JobStatus status, String code, String message, String param,
            Map<String, Object> data) {
        queue.complete(lease);
        job.status = status;
        job.stopRequest = null;
        job.finishedAt = JobEvents.now();
        if (status == JobStatus.CANCELLED) {
            outbox.enqueue(Topics.JOBS, JobCancelled.of(job.teamId, job.id, "cancelled by the team"));
            events.message(job.id, JobEvents.INFO, "Job cancelled at step " + job.step + "; its last checkpoint is kept",
                    data);
        } else {
            job.errorCode = code;
            job.errorMessage = message;
            job.errorParam = param;
            outbox.enqueue(Topics.JOBS, JobFailed.of(job.teamId, job.id, code, message));
            events.message(job.id, JobEvents.ERROR, "Job failed: " + message, param == null ? Map.of("code", code)
                    : Map.of("code", code, "param", param));
        }
    }

    /** Runs {@code work} in a new transaction that commits only while the lease is still this worker's. */
    private <T> T fenced(Lease lease, Supplier<T> work) {
        return QuarkusTransaction.requiringNew().call(() -> {
            if (!queue.holds(lease)) {
                throw new LeaseLostException(lease);
            }
            return work.get();
        });
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

}
