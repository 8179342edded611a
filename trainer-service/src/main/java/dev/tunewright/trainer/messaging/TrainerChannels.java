package dev.tunewright.trainer.messaging;

/** Channel names of the trainer service, shared by consumers, configuration and tests. */
public final class TrainerChannels {

    /** Incoming {@link dev.tunewright.contracts.Topics#DATASETS}: which datasets exist and where their splits are. */
    public static final String DATASET_EVENTS = "dataset-events";

    /**
     * Incoming {@link dev.tunewright.contracts.Topics#JOBS}, read only for {@code job.created}: the trigger that wakes
     * idle workers. Each instance reads every trigger (a consumer group of its own), so any idle worker may claim.
     */
    public static final String JOB_TRIGGERS = "job-triggers";

    private TrainerChannels() {
    }
}
