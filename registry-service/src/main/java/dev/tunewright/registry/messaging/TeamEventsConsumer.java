package dev.tunewright.registry.messaging;

import dev.tunewright.contracts.team.TeamCreated;
import dev.tunewright.contracts.team.TeamEvent;
import dev.tunewright.registry.service.TeamNamespaceService;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Consumes the gateway's team events: a new team becomes a namespace. */
@ApplicationScoped
public class TeamEventsConsumer {

    private final TeamNamespaceService namespaces;

    public TeamEventsConsumer(TeamNamespaceService namespaces) {
        this.namespaces = namespaces;
    }

    @Incoming(RegistryChannels.TEAM_EVENTS)
    @Blocking
    public void consume(String payload) {
        EventReader.read(payload, TeamEvent.class).ifPresent(event -> {
            if (event instanceof TeamCreated created) {
                namespaces.record(created);
            }
        });
    }
}
