package dev.tunewright.contracts.adapter;

import dev.tunewright.contracts.EventFields;
import java.time.Instant;
import java.util.UUID;

/** An adapter entered the registry with its lineage (job, dataset, base model). */
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
        String artifactId) implements AdapterEvent {

    public AdapterRegistered {
        EventFields.check(schemaVersion, eventId, occurredAt, teamId, adapterId);
    }

    public static AdapterRegistered of(String teamId, String adapterId, String name, int version, String jobId, String datasetId, String baseModel, String artifactId) {
        return new AdapterRegistered(EventFields.SCHEMA_VERSION, UUID.randomUUID(), Instant.now(), teamId, adapterId, name, version, jobId, datasetId, baseModel, artifactId);
    }

    @Override
    public String subjectId() {
        return adapterId;
    }
}
