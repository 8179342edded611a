package dev.tunewright.contracts.evaluation;

import dev.tunewright.contracts.EventFields;
import java.time.Instant;
import java.util.UUID;
import java.util.Map;

/** Base and fine-tuned model were scored on the same held-out split; metrics map names to values for both. */
public record EvaluationCompleted(
        int schemaVersion,
        UUID eventId,
        Instant occurredAt,
        String teamId,
        String evaluationId,
        String jobId,
        String adapterArtifactId,
        String baseModel,
        Map<String, Double> baseMetrics,
        Map<String, Double> tunedMetrics,
        String verdict) implements EvaluationEvent {

    public EvaluationCompleted {
        EventFields.check(schemaVersion, eventId, occurredAt, teamId, evaluationId);
    }

    public static EvaluationCompleted of(String teamId, String evaluationId, String jobId, String adapterArtifactId, String baseModel, Map<String, Double> baseMetrics, Map<String, Double> tunedMetrics, String verdict) {
        return new EvaluationCompleted(EventFields.SCHEMA_VERSION, UUID.randomUUID(), Instant.now(), teamId, evaluationId, jobId, adapterArtifactId, baseModel, Map.copyOf(baseMetrics), Map.copyOf(tunedMetrics), verdict);
    }

    @Override
    public String subjectId() {
        return evaluationId;
    }
}
