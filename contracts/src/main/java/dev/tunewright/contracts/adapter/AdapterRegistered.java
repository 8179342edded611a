package dev.tunewright.contracts.adapter;

import dev.tunewright.contracts.EventFields;
import java.time.Instant;
import java.util.UUID;

/**
 * An adapter version entered the registry with its lineage (job, dataset, base model).
 *
 * @param adapterId         the adapter (all versions of one name), the record key
 * @param fineTunedModel    the {@code ft:} model id the job gave it; null from producers before it was added
 * @param baseModelRevision the pinned base revision; null for a local base without one
 */
public record AdapterRegistered(
        int schemaVersion,
        UUID eventId,
        Instant occurredAt,
        String teamId,
        String adapterId,
        String name,
        int version,
        String jobId,
        String datasetId,
        String baseModel,
        String artifactId,
        String fineTunedModel,
        String baseModelRevision) implements AdapterEvent {

    public AdapterRegistered {
        EventFields.check(schemaVersion, eventId, occurredAt, teamId, adapterId);
    }

    public static AdapterRegistered of(String teamId, String adapterId, String name, int version, String jobId, String datasetId, String baseModel, String artifactId) {
        return of(teamId, adapterId, name, version, jobId, datasetId, baseModel, artifactId, null, null);
    }

    public static AdapterRegistered of(String teamId, String adapterId, String name, int version, String jobId,
            String datasetId, String baseModel, String artifactId, String fineTunedModel, String baseModelRevision) {
        return new AdapterRegistered(EventFields.SCHEMA_VERSION, UUID.randomUUID(), Instant.now(), teamId, adapterId, name,
                version, jobId, datasetId, baseModel, artifactId, fineTunedModel, baseModelRevision);
    }

    @Override
    public String subjectId() {
        return adapterId;
    }
}
