package dev.tunewright.registry.service;

import dev.tunewright.common.messaging.ProcessedEvents;
import dev.tunewright.contracts.team.TeamCreated;
import dev.tunewright.registry.repository.TeamNamespace;
import dev.tunewright.registry.repository.TeamNamespaceRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.Optional;
import org.jboss.logging.Logger;

/** Keeps the registry's copy of team names; redelivered events change nothing. */
@ApplicationScoped
public class TeamNamespaceService {

    static final String CONSUMER = "registry.team-namespaces";
    private static final Logger LOG = Logger.getLogger(TeamNamespaceService.class);

    private final TeamNamespaceRepository namespaces;
    private final ProcessedEvents processedEvents;

    public TeamNamespaceService(TeamNamespaceRepository namespaces, ProcessedEvents processedEvents) {
        this.namespaces = namespaces;
        this.processedEvents = processedEvents;
    }

    @Transactional
    public void record(TeamCreated event) {
        if (!processedEvents.firstTime(event.eventId(), CONSUMER)) {
            LOG.debugf("event %s already processed", event.eventId());
            return;
        }
        if (namespaces.findByIdOptional(event.teamId()).isPresent()) {
            return;
        }
        TeamNamespace namespace = new TeamNamespace();
        namespace.teamId = event.teamId();
        namespace.teamName = event.teamName();
        namespace.createdAt = event.occurredAt();
        namespaces.persist(namespace);
        LOG.infof("team %s registered as namespace '%s'", event.teamId(), event.teamName());
    }

    public Optional<TeamNamespace> of(String teamId) {
        return namespaces.findByIdOptional(teamId);
    }
}
