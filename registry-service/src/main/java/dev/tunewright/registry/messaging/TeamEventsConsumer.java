package dev.tunewright.registry.messaging;

import dev.tunewright.contracts.EventFields;
import dev.tunewright.contracts.EventJson;
import dev.tunewright.contracts.team.TeamCreated;
import dev.tunewright.contracts.team.TeamEvent;
import dev.tunewright.registry.service.TeamNamespaceService;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes the gateway's team events. A message that is not a valid event of a known schema version is logged
 * and skipped: retrying it would never succeed and would stall every later event of the partition.
 */
@ApplicationScoped
public class TeamEventsConsumer {

    private static final Logger LOG = Logger.getLogger(TeamEventsConsumer.class);

    private final TeamNamespaceService namespaces;

    public TeamEventsConsumer(TeamNamespaceService namespaces) {
        this.namespaces = namespaces;
    }

    @Incoming(RegistryChannels.TEAM_EVENTS)
    @Blocking
    public void consume(String payload) {
        TeamEvent event;
        try {
            event = EventJson.read(payload, TeamEvent.class);
        } catch (IllegalArgumentException e) {
            LOG.errorf("skipping malformed team event: %s", e.getMessage());
            return;
        }
        if (event.schemaVersion() > EventFields.SCHEMA_VERSION) {
            LOG.errorf("skipping team event %s of unknown schema version %d", event.eventId(), event.schemaVersion());
            return;
        }
        if (event instanceof TeamCreated created) {
            namespaces.record(created);
        }
    }
}
