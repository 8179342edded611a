package dev.tunewright.contracts;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** Checks shared by every event record's compact constructor, so a malformed event fails where it is built. */
public final class EventFields {

    public static final int SCHEMA_VERSION = 1;

    private EventFields() {
    }

    public static void check(int schemaVersion, UUID eventId, Instant occurredAt, String teamId, String subjectId) {
        if (schemaVersion < 1) {
            throw new IllegalArgumentException("schemaVersion must be >= 1, was " + schemaVersion);
        }
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        requireText(teamId, "teamId");
        requireText(subjectId, "subject id");
    }

    public static String requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank");
        }
        return value;
    }
}
