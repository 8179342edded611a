package dev.tunewright.registry.messaging;

import dev.tunewright.contracts.Event;
import dev.tunewright.contracts.EventFields;
import dev.tunewright.contracts.EventJson;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Reads a consumed payload as an event of a topic's family. A message that is not a valid event of a known schema
 * version is logged and skipped: retrying it would never succeed and would stall every later event of the partition.
 */
final class EventReader {

    private static final Logger LOG = Logger.getLogger(EventReader.class);

    private EventReader() {
    }

    static <T extends Event> Optional<T> read(String payload, Class<T> family) {
        T event;
        try {
            event = EventJson.read(payload, family);
        } catch (IllegalArgumentException e) {
            LOG.errorf("skipping malformed %s: %s", family.getSimpleName(), e.getMessage());
            return Optional.empty();
        }
        if (event.schemaVersion() > EventFields.SCHEMA_VERSION) {
            LOG.errorf("skipping %s %s of unknown schema version %d", family.getSimpleName(), event.eventId(),
                    event.schemaVersion());
            return Optional.empty();
        }
        return Optional.of(event);
    }
}
