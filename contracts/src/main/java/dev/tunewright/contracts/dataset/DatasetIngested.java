package dev.tunewright.contracts.dataset;

import dev.tunewright.contracts.EventFields;
import java.time.Instant;
import java.util.UUID;

/** A dataset version passed validation and its splits are in the artifact store under the given ids. */
public record DatasetIngested(
        int schemaVersion,
        UUID eventId,
        Instant occurredAt,
        String teamId,
        String datasetId,
        String fileId,
        String format,
        long trainRows,
        long validationRows,
        String trainArtifactId,
        String validationArtifactId) implements DatasetEvent {

    public DatasetIngested {
        EventFields.check(schemaVersion, eventId, occurredAt, teamId, datasetId);
    }

    public static DatasetIngested of(String teamId, String datasetId, String fileId, String format, long trainRows, long validationRows, String trainArtifactId, String validationArtifactId) {
        return new DatasetIngested(EventFields.SCHEMA_VERSION, UUID.randomUUID(), Instant.now(), teamId, datasetId, fileId, format, trainRows, validationRows, trainArtifactId, validationArtifactId);
    }

    @Override
    public String subjectId() {
        return datasetId;
    }
}
