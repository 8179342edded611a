package dev.tunewright.contracts.job;

import dev.tunewright.contracts.EventFields;
import java.time.Instant;
import java.util.UUID;

/** The team cancelled the job; its last checkpoint is kept. */
public record JobCancelled(
        int schemaVersion,
        UUID eventId,
        Instant occurredAt,
        String teamId,
        String jobId,
        String reason) implements JobEvent {

    public JobCancelled {
        EventFields.check(schemaVersion, eventId, occurredAt, teamId, jobId);
    }

    public static JobCancelled of(String teamId, String jobId, String reason) {
        return new JobCancelled(EventFields.SCHEMA_VERSION, UUID.randomUUID(), Instant.now(), teamId, jobId, reason);
    }

    @Override
    public String subjectId() {
        return jobId;
    }
}
