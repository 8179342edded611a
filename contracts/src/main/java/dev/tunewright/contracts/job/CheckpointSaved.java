package dev.tunewright.contracts.job;

import dev.tunewright.contracts.EventFields;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A complete, hash-verified checkpoint is in the artifact store; a restarted worker resumes from the newest one.
 *
 * @param checkpointId         the API id of the checkpoint ({@code ftckpt-…})
 * @param checkpointArtifactId the whole checkpoint folder (adapter, optimizer state, trainer state): what a resume
 *                             reads
 * @param adapterArtifactId    the checkpoint's adapter alone, in the PEFT layout (its files are shared with the
 *                             checkpoint folder in the content-addressed store)
 * @param metrics              the step's metrics by OpenAI's checkpoint metric names ({@code train_loss},
 *                             {@code valid_loss}, …); absent names were not measured at this step
 * @param evaluate             the job asked for every checkpoint to be evaluated
 * @param lineage              as in {@link JobSucceeded}, so a checkpoint can be evaluated on its own
 */
public record CheckpointSaved(
        int schemaVersion,
        UUID eventId,
        Instant occurredAt,
        String teamId,
        String jobId,
        long step,
        String checkpointArtifactId,
        String checkpointId,
        String adapterArtifactId,
        Map<String, Double> metrics,
        boolean evaluate,
        JobLineage lineage) implements JobEvent {

    public CheckpointSaved {
        EventFields.check(schemaVersion, eventId, occurredAt, teamId, jobId);
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    }

    public static CheckpointSaved of(String teamId, String jobId, long step, String checkpointArtifactId,
            String checkpointId, String adapterArtifactId, Map<String, Double> metrics, boolean evaluate,
            JobLineage lineage) {
        return new CheckpointSaved(EventFields.SCHEMA_VERSION, UUID.randomUUID(), Instant.now(), teamId, jobId, step,
                checkpointArtifactId, checkpointId, adapterArtifactId, metrics, evaluate, lineage);
    }

    @Override
    public String subjectId() {
        return jobId;
    }
}
