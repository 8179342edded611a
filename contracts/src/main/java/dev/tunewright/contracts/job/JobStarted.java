package dev.tunewright.contracts.job;

import dev.tunewright.contracts.EventFields;
import java.time.Instant;
import java.util.UUID;

/** A worker claimed the job and began (or resumed) training. */
public record JobStarted(
        int schemaVersion,
        UUID eventId,
        Instant occurredAt,
        String teamId,
        String jobId,
        String workerId,
        int attempt) implements JobEvent {

    public JobStarted {
        EventFields.check(schemaVersion, eventId, occurredAt, teamId, jobId);
    }

    public static JobStarted of(String teamId, String jobId, String workerId, int attempt) {
        return new JobStarted(EventFields.SCHEMA_VERSION, UUID.randomUUID(), Instant.now(), teamId, jobId, workerId, attempt);
    }

    @Override
    public String subjectId() {
        return jobId;
    }
}
