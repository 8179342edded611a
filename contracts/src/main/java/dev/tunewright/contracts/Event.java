package dev.tunewright.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * What every event on every topic carries, so that consumers can de-duplicate ({@link #eventId()}),
 * order by time, scope by team and evolve payloads ({@link #schemaVersion()}) without reading the payload.
 */
public interface Event {

    /** Version of the payload shape; consumers reject versions they do not know rather than guess. */
    int schemaVersion();

    /** Unique per event; consumers keep the ids they processed to stay idempotent under redelivery. */
    UUID eventId();

    Instant occurredAt();

    String teamId();

    /** The id of the thing the event is about; it is also the Kafka record key of its topic. */
    String subjectId();
}
