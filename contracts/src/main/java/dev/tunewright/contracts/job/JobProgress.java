package dev.tunewright.contracts.job;

import dev.tunewright.contracts.EventFields;
import java.time.Instant;
import java.util.UUID;

/** Metrics of one optimizer step; validation fields are null on steps without evaluation. */
public record JobProgress(
        int schemaVersion,
        UUID eventId,
        Instant occurredAt,
        String teamId,
        String jobId,
        long step,
        long totalSteps,
        double epoch,
        double trainLoss,
        double learningRate,
        double gradNorm,
        double tokensPerSecond,
        Double validationLoss,
        Double validationTokenAccuracy) implements JobEvent {

    public JobProgress {
        EventFields.check(schemaVersion, eventId, occurredAt, teamId, jobId);
    }

    public static JobProgress of(String teamId, String jobId, long step, long totalSteps, double epoch, double trainLoss, double learningRate, double gradNorm, double tokensPerSecond, Double validationLoss, Double validationTokenAccuracy) {
        return new JobProgress(EventFields.SCHEMA_VERSION, UUID.randomUUID(), Instant.now(), teamId, jobId, step, totalSteps, epoch, trainLoss, learningRate, gradNorm, tokensPerSecond, validationLoss, validationTokenAccuracy);
    }

    @Override
    public String subjectId() {
        return jobId;
    }
}
