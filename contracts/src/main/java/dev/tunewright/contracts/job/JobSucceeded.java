package dev.tunewright.contracts.job;

import dev.tunewright.contracts.EventFields;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Training finished and the adapter is in the artifact store in the PEFT layout, as a folder artifact (a manifest
 * naming each file with its SHA-256). Consumers: the evaluator evaluates it, the registry registers it.
 *
 * @param fineTunedModel       the OpenAI-style model id, {@code ft:<base>:<team>:<suffix>:<job id>}
 * @param suffix               the job's suffix, null when it had none
 * @param resultFileArtifactId the per-step metrics (CSV, OpenAI's result file), null when none were written
 * @param evaluation           what the job asked of its evaluation (for example {@code task_type}, {@code margin});
 *                             empty for the defaults
 */
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
        Double finalValidationLoss,
        String fineTunedModel,
        String suffix,
        JobLineage lineage,
        String resultFileArtifactId,
        Map<String, Object> evaluation) implements JobEvent {

    public JobSucceeded {
        EventFields.check(schemaVersion, eventId, occurredAt, teamId, jobId);
        evaluation = evaluation == null ? Map.of() : Map.copyOf(evaluation);
    }

    public static JobSucceeded of(String teamId, String jobId, String adapterArtifactId, String baseModel,
            long trainedTokens, double finalTrainLoss, Double finalValidationLoss, String fineTunedModel, String suffix,
            JobLineage lineage, String resultFileArtifactId, Map<String, Object> evaluation) {
        return new JobSucceeded(EventFields.SCHEMA_VERSION, UUID.randomUUID(), Instant.now(), teamId, jobId,
                adapterArtifactId, baseModel, trainedTokens, finalTrainLoss, finalValidationLoss, fineTunedModel, suffix,
                lineage, resultFileArtifactId, evaluation);
    }

    @Override
    public String subjectId() {
        return jobId;
    }
}
