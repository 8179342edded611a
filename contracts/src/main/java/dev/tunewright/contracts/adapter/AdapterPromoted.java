package dev.tunewright.contracts.adapter;

import dev.tunewright.contracts.EventFields;
import java.time.Instant;
import java.util.UUID;

/**
 * An alias of an adapter (for example production) was moved to a version, replacing the previous holder, or removed.
 * Consumers that serve an alias (chat completions on {@code name@production}) follow it from these events.
 *
 * @param adapterId       the adapter (all versions of one name), the record key
 * @param stage           the alias: {@code candidate}, {@code staging}, {@code production} or any name
 * @param version         the version the alias points to now; null when the alias was removed
 * @param previousVersion the version it pointed to before; null when it is new
 * @param artifactId      the adapter folder artifact of {@code version}; null when removed
 * @param fineTunedModel  the {@code ft:} model id of {@code version}; null when removed
 * @param reason          why, as the mover gave it; null when none was given
 * @param forced          the promotion gate refused and was overridden with {@code force}
 */
public record AdapterPromoted(
        int schemaVersion,
        UUID eventId,
        Instant occurredAt,
        String teamId,
        String adapterId,
        String name,
        String stage,
        Integer version,
        Integer previousVersion,
        String artifactId,
        String fineTunedModel,
        String reason,
        boolean forced) implements AdapterEvent {

    public AdapterPromoted {
        EventFields.check(schemaVersion, eventId, occurredAt, teamId, adapterId);
    }

    public static AdapterPromoted of(String teamId, String adapterId, String name, String stage) {
        return of(teamId, adapterId, name, stage, null, null, null, null, null, false);
    }

    public static AdapterPromoted of(String teamId, String adapterId, String name, String stage, Integer version,
            Integer previousVersion, String artifactId, String fineTunedModel, String reason, boolean forced) {
        return new AdapterPromoted(EventFields.SCHEMA_VERSION, UUID.randomUUID(), Instant.now(), teamId, adapterId, name,
                stage, version, previousVersion, artifactId, fineTunedModel, reason, forced);
    }

    @Override
    public String subjectId() {
        return adapterId;
    }
}
