package dev.tunewright.contracts.job;

import dev.tunewright.contracts.EventFields;
import java.time.Instant;
import java.util.UUID;

/** Training finished and the adapter is in the artifact store in the PEFT layout. */
public record JobSucceeded(
        int schemaVersion,
        UUID eventId,
        Instant occurredAt,
        String teamId,
        String jobId,
        String adapterArtifactId,
        String baseModel,
        long trainedTokens,
        double finalTrainLoss,
        Double finalValidationLoss) implements JobEvent {

    public JobSucceeded {
        EventFields.check(schemaVersion, eventId, occurredAt, teamId, jobId);
    }

    public static JobSucceeded of(String teamId, String jobId, String adapterArtifactId, String baseModel, long trainedTokens, double finalTrainLoss, Double finalValidationLoss) {
        return new JobSucceeded(EventFields.SCHEMA_VERSION, UUID.randomUUID(), Instant.now(), teamId, jobId, adapterArtifactId, baseModel, trainedTokens, finalTrainLoss, finalValidationLoss);
    }

    @Override
    public String subjectId() {
        return jobId;
    }
}
