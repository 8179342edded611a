package dev.tunewright.contracts.job;

import dev.tunewright.contracts.EventFields;
import java.time.Instant;
import java.util.UUID;
import java.util.Map;

/** A fine-tuning job was accepted; this is the trigger trainer workers act on, the job row in PostgreSQL is the truth. */
public record JobCreated(
        int schemaVersion,
        UUID eventId,
        Instant occurredAt,
        String teamId,
        String jobId,
        String baseModel,
        String trainDatasetId,
        Map<String, Object> hyperparameters) implements JobEvent {

    public JobCreated {
        EventFields.check(schemaVersion, eventId, occurredAt, teamId, jobId);
    }

    public static JobCreated of(String teamId, String jobId, String baseModel, String trainDatasetId, Map<String, Object> hyperparameters) {
        return new JobCreated(EventFields.SCHEMA_VERSION, UUID.randomUUID(), Instant.now(), teamId, jobId, baseModel, trainDatasetId, Map.copyOf(hyperparameters));
    }

    @Override
    public String subjectId() {
        return jobId;
    }
}
