package dev.tunewright.contracts.adapter;

import dev.tunewright.contracts.EventFields;
import java.time.Instant;
import java.util.UUID;

/** An adapter version was given a stage (for example production), replacing the previous holder of that stage. */
public record AdapterPromoted(
        int schemaVersion,
        UUID eventId,
        Instant occurredAt,
        String teamId,
        String adapterId,
        String name,
        String stage) implements AdapterEvent {

    public AdapterPromoted {
        EventFields.check(schemaVersion, eventId, occurredAt, teamId, adapterId);
    }

    public static AdapterPromoted of(String teamId, String adapterId, String name, String stage) {
        return new AdapterPromoted(EventFields.SCHEMA_VERSION, UUID.randomUUID(), Instant.now(), teamId, adapterId, name, stage);
    }

    @Override
    public String subjectId() {
        return adapterId;
    }
}
