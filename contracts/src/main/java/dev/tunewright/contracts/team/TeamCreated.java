package dev.tunewright.contracts.team;

import dev.tunewright.contracts.EventFields;
import java.time.Instant;
import java.util.UUID;

/** A team was created at the gateway; services that namespace by team name record it. */
public record TeamCreated(
        int schemaVersion,
        UUID eventId,
        Instant occurredAt,
        String teamId,
        String teamName) implements TeamEvent {

    public TeamCreated {
        EventFields.check(schemaVersion, eventId, occurredAt, teamId, teamId);
        EventFields.requireText(teamName, "teamName");
    }

    public static TeamCreated of(String teamId, String teamName) {
        return new TeamCreated(EventFields.SCHEMA_VERSION, UUID.randomUUID(), Instant.now(), teamId, teamName);
    }

    @Override
    public String subjectId() {
        return teamId;
    }
}
