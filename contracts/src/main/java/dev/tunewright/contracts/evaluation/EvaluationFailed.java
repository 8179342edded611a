package dev.tunewright.contracts.evaluation;

import dev.tunewright.contracts.EventFields;
import java.time.Instant;
import java.util.UUID;

/** The evaluation could not be completed; the adapter stays unjudged. */
public record EvaluationFailed(
        int schemaVersion,
        UUID eventId,
        Instant occurredAt,
        String teamId,
        String evaluationId,
        String jobId,
        String message) implements EvaluationEvent {

    public EvaluationFailed {
        EventFields.check(schemaVersion, eventId, occurredAt, teamId, evaluationId);
    }

    public static EvaluationFailed of(String teamId, String evaluationId, String jobId, String message) {
        return new EvaluationFailed(EventFields.SCHEMA_VERSION, UUID.randomUUID(), Instant.now(), teamId, evaluationId, jobId, message);
    }

    @Override
    public String subjectId() {
        return evaluationId;
    }
}
