package dev.tunewright.registry.messaging;

/** Channel names of the registry, shared by the consumers and their tests. */
public final class RegistryChannels {

    /** Incoming {@link dev.tunewright.contracts.Topics#TEAMS}. */
    public static final String TEAM_EVENTS = "team-events";

    private RegistryChannels() {
    }
}
