package dev.tunewright.registry.messaging;

/** Channel names of the registry, shared by the consumers and their tests. */
public final class RegistryChannels {

    /** Incoming {@link dev.tunewright.contracts.Topics#TEAMS}. */
    public static final String TEAM_EVENTS = "team-events";
    /** Incoming {@link dev.tunewright.contracts.Topics#JOBS}: succeeded jobs register adapters. */
    public static final String JOB_EVENTS = "job-events";
    /** Incoming {@link dev.tunewright.contracts.Topics#EVALUATIONS}: verdicts of registered (or soon registered) adapters. */
    public static final String EVALUATION_EVENTS = "evaluation-events";

    private RegistryChannels() {
    }
}
