package dev.tunewright.contracts.job;

import dev.tunewright.contracts.EventFields;
import java.time.Instant;
import java.util.UUID;

/** A complete, hash-verified checkpoint is in the artifact store; a restarted worker resumes from the newest one. */
public record CheckpointSaved(
        int schemaVersion,
        UUID eventId,
        Instant occurredAt,
        String teamId,
        String jobId,
        long step,
        String checkpointArtifactId) implements JobEvent {

    public CheckpointSaved {
        EventFields.check(schemaVersion, eventId, occurredAt, teamId, jobId);
    }

    public static CheckpointSaved of(String teamId, String jobId, long step, String checkpointArtifactId) {
        return new CheckpointSaved(EventFields.SCHEMA_VERSION, UUID.randomUUID(), Instant.now(), teamId, jobId, step, checkpointArtifactId);
    }

    @Override
    public String subjectId() {
        return jobId;
    }
}
