package dev.tunewright.contracts.job;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.tunewright.contracts.Event;

/** Lifecycle events of {@link dev.tunewright.contracts.Topics#JOBS}, keyed by job id so one job's events stay in order. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = JobCreated.class, name = "job.created"),
        @JsonSubTypes.Type(value = JobStarted.class, name = "job.started"),
        @JsonSubTypes.Type(value = CheckpointSaved.class, name = "job.checkpoint-saved"),
        @JsonSubTypes.Type(value = JobSucceeded.class, name = "job.succeeded"),
        @JsonSubTypes.Type(value = JobFailed.class, name = "job.failed"),
        @JsonSubTypes.Type(value = JobCancelled.class, name = "job.cancelled"),
        @JsonSubTypes.Type(value = JobProgress.class, name = "job.progress")
})
public sealed interface JobEvent extends Event permits JobCreated, JobStarted, CheckpointSaved, JobSucceeded, JobFailed, JobCancelled, JobProgress {
}
