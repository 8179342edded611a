package dev.tunewright.trainer.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunewright.common.identity.TeamIdentity;
import dev.tunewright.common.models.ModelCatalog;
import dev.tunewright.common.models.ModelRef;
import dev.tunewright.common.outbox.Outbox;
import dev.tunewright.common.queue.WorkQueue;
import dev.tunewright.common.rest.ApiException;
import dev.tunewright.contracts.Topics;
import dev.tunewright.contracts.job.JobCancelled;
import dev.tunewright.contracts.job.JobCreated;
import dev.tunewright.trainer.config.TrainerConfig;
import dev.tunewright.trainer.repository.Job;
import dev.tunewright.trainer.repository.JobRepository;
import dev.tunewright.trainer.repository.KnownDataset;
import dev.tunewright.trainer.repository.KnownDatasetRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The jobs API's state changes. Each runs in one transaction that also writes the job's events, the queue entry and
 * the outbox event, so a job is queued exactly when it says so and a worker is woken exactly for queued jobs. Moves
 * of a running job (cancel, pause) are requests to its worker, which ends the job at its next step.
 */
@ApplicationScoped
public class JobService {

    /** The work queue kind of training jobs. */
    public static final String QUEUE_KIND = "training";
    /** Stop requests a worker understands. */
    public static final String CANCEL = "cancel";
    public static final String PAUSE = "pause";

    private static final Logger LOG = Logger.getLogger(JobService.class);
    private static final Set<JobStatus> WAITING = EnumSet.of(JobStatus.VALIDATING_FILES, JobStatus.QUEUED);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Fired after a commit queued a job, so a worker in this process starts it without waiting for Kafka. */
    public record Queued(String jobId) {
    }

    private final TrainerConfig config;
    private final JobRequestReader reader;
    private final ModelCatalog models;
    private final JobDatasets datasets;
    private final JobRepository jobs;
    private final KnownDatasetRepository knownDatasets;
    private final WorkQueue queue;
    private final Outbox outbox;
    private final JobEvents events;
    private final ObjectMapper json;
    private final Event<Queued> queued;

    public JobService(TrainerConfig config, JobRequestReader reader, ModelCatalog models, JobDatasets datasets,
            JobRepository jobs, KnownDatasetRepository knownDatasets, WorkQueue queue, Outbox outbox, JobEvents events,
            ObjectMapper json, Event<Queued> queued) {
        this.config = config;
        this.reader = reader;
        this.models = models;
        this.datasets = datasets;
        this.jobs = jobs;
        this.knownDatasets = knownDatasets;
        this.queue = queue;
        this.outbox = outbox;
        this.events = events;
        this.json = json;
        this.queued = queued;
    }

    public Job create(TeamIdentity team, com.fasterxml.jackson.databind.JsonNode body) {
        JobRequest request = reader.read(body);
        ModelRef model = models.check(request.model(), "model");
        checkQueueLimit(team.teamId());
        String datasetId = datasets.resolve(team, request.trainingFile(), request.validationFile());
        long seed = request.seed() != null ? request.seed() : RANDOM.nextInt(Integer.MAX_VALUE);
        Job job = QuarkusTransaction.requiringNew().call(() -> {
            jobs.lockKey("team:" + team.teamId());
            checkQueueLimit(team.teamId());
            jobs.lockKey("dataset:" + datasetId);
            Job created = newJob(team, request, model, datasetId, seed);
            jobs.persist(created);
            jobs.flush();
            events.message(created.id, JobEvents.INFO, "Validating training file: " + request.trainingFile()
                    + (request.validationFile() == null ? "" : " and validation file: " + request.validationFile()));
            knownDatasets.findOfTeam(team.teamId(), datasetId).ifPresent(dataset -> queue(created, dataset));
            return created;
        });
        LOG.infof("job %s of team %s created on %s (%s)", job.id, team.teamId(), datasetId, job.status.wireName());
        afterCommit(job);
        return job;
    }

    /**
     * A dataset was announced: jobs waiting for it move to the queue. Called by the {@code dataset.ingested} consumer
     * in its transaction, under the dataset's lock, so a job created at the same moment is seen by one of the two.
     */
    public List<Job> datasetArrived(KnownDataset dataset) {
        jobs.lockKey("dataset:" + dataset.id);
        List<Job> waiting = jobs.waitingFor(dataset.id);
        for (Job job : waiting) {
            if (job.teamId.equals(dataset.teamId)) {
                queue(job, dataset);
            }
        }
        return waiting;
    }

    /** Moves a validated job into the queue with its settings resolved against the dataset's size. */
    private void queue(Job job, KnownDataset dataset) {
        JobSettings settings = JobSettings.resolve(request(job), dataset.trainRows, config.defaults());
        job.settings = write(settings);
        job.status = JobStatus.QUEUED;
        queue.enqueue(QUEUE_KIND, job.id, job.teamId, 0);
        outbox.enqueue(Topics.JOBS, JobCreated.of(job.teamId, job.id, job.modelId, job.datasetId, settings.asMap(job.seed)));
        events.message(job.id, JobEvents.INFO, "Files validated, moving job to queued state", Map.of(
                "dataset_id", dataset.id, "train_rows", dataset.trainRows, "validation_rows", dataset.validationRows));
    }

    /** Announces, after the commit, that a job can be claimed (see {@link Queued}). */
    public void afterCommit(Job job) {
        if (job.status == JobStatus.QUEUED) {
            queued.fire(new Queued(job.id));
        }
    }

    public Job get(String teamId, String id) {
        return jobs.findOfTeam(teamId, id).orElseThrow(() -> ApiException.notFound("fine-tuning job", id));
    }

    public Optional<Long> queuePosition(Job job) {
        return job.status == JobStatus.QUEUED ? queue.position(QUEUE_KIND, job.id) : Optional.empty();
    }

    public Job cancel(String teamId, String id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Job job = lock(teamId, id);
            if (!job.status.cancellable()) {
                throw illegal(job, "cancelled");
            }
            if (CANCEL.equals(job.stopRequest)) {
                return job;
            }
            if (job.status == JobStatus.RUNNING || !queue.removeQueued(job.id)) {
                if (queue.requestStop(job.id, CANCEL)) {
                    job.stopRequest = CANCEL;
                    events.message(job.id, JobEvents.INFO, "Cancellation requested; the job stops after its current step"
                            + " and keeps its last checkpoint");
                    return job;
                }
                queue.removeQueued(job.id);
            }
            job.status = JobStatus.CANCELLED;
            job.stopRequest = null;
            job.finishedAt = JobEvents.now();
            outbox.enqueue(Topics.JOBS, JobCancelled.of(job.teamId, job.id, "cancelled by the team"));
            events.message(job.id, JobEvents.INFO, "Job cancelled");
            return job;
        });
    }

    public Job pause(String teamId, String id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Job job = lock(teamId, id);
            if (!job.status.pausable() || CANCEL.equals(job.stopRequest)) {
                throw illegal(job, "paused");
            }
            if (PAUSE.equals(job.stopRequest)) {
                return job;
            }
            if (job.status == JobStatus.QUEUED && queue.removeQueued(job.id)) {
                job.status = JobStatus.PAUSED;
                events.message(job.id, JobEvents.INFO, "Job paused before it started");
                return job;
            }
            if (!queue.requestStop(job.id, PAUSE)) {
                throw illegal(job, "paused");
            }
            job.stopRequest = PAUSE;
            events.message(job.id, JobEvents.INFO, "Pause requested; the job writes a checkpoint after its current step"
                    + " and frees its worker");
            return job;
        });
    }

    public Job resume(String teamId, String id) {
        Job job = QuarkusTransaction.requiringNew().call(() -> {
            jobs.lockKey("team:" + teamId);
            Job locked = lock(teamId, id);
            if (!locked.status.resumable()) {
                throw illegal(locked, "resumed");
            }
            checkQueueLimit(teamId);
            locked.status = JobStatus.QUEUED;
            locked.stopRequest = null;
            queue.enqueue(QUEUE_KIND, locked.id, locked.teamId, 0);
            events.message(locked.id, JobEvents.INFO, "Job resumed; back in the queue");
            return locked;
        });
        afterCommit(job);
        return job;
    }

    public JobRequest request(Job job) {
        try {
            return json.readValue(job.requested, JobRequest.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored request of " + job.id + " is not readable", e);
        }
    }

    public Optional<JobSettings> settings(Job job) {
        if (job.settings == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(job.settings, JobSettings.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored settings of " + job.id + " are not readable", e);
        }
    }

    private Job lock(String teamId, String id) {
        return jobs.lockOfTeam(teamId, id).orElseThrow(() -> ApiException.notFound("fine-tuning job", id));
    }

    private void checkQueueLimit(String teamId) {
        long waiting = jobs.countOfTeam(teamId, WAITING);
        int limit = config.limits().maxQueuedPerTeam();
        if (waiting >= limit) {
            throw new ApiException(429, "queued_job_limit", null, "the team has " + waiting + " job(s) waiting, the"
                    + " limit of queued jobs per team (tunewright.trainer.limits.max-queued-per-team = " + limit
                    + "); wait for one to start or cancel one");
        }
    }

    private static ApiException illegal(Job job, String move) {
        String state = job.stopRequest == null ? job.status.wireName() : job.status.wireName() + ", " + job.stopRequest
                + " requested";
        return new ApiException(409, "invalid_job_status", null, "job " + job.id + " is " + state + " and cannot be "
                + move);
    }

    private Job newJob(TeamIdentity team, JobRequest request, ModelRef model, String datasetId, long seed) {
        Job job = new Job();
        job.id = Ids.random("ftjob");
        job.teamId = team.teamId();
        job.teamName = team.teamName();
        job.status = JobStatus.VALIDATING_FILES;
        job.model = request.model();
        job.modelSource = model.source().name();
        job.modelId = model.id();
        job.modelRevision = model.revision();
        job.trainingFile = request.trainingFile();
        job.validationFile = request.validationFile();
        job.datasetId = datasetId;
        job.suffix = request.suffix();
        job.seed = seed;
        job.requested = write(request);
        job.metadata = request.metadata();
        job.createdAt = JobEvents.now();
        return job;
    }

    String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }
}
