package dev.tunewright.contracts.job;

import dev.tunewright.contracts.EventFields;
import java.time.Instant;
import java.util.UUID;

/** Training stopped with an error; errorCode is stable for machines, message is for people. */
public record JobFailed(
        int schemaVersion,
        UUID eventId,
        Instant occurredAt,
        String teamId,
        String jobId,
        String errorCode,
        String message) implements JobEvent {

    public JobFailed {
        EventFields.check(schemaVersion, eventId, occurredAt, teamId, jobId);
    }

    public static JobFailed of(String teamId, String jobId, String errorCode, String message) {
        return new JobFailed(EventFields.SCHEMA_VERSION, UUID.randomUUID(), Instant.now(), teamId, jobId, errorCode, message);
    }

    @Override
    public String subjectId() {
        return jobId;
    }
}
