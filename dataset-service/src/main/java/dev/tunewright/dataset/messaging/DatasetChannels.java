package dev.tunewright.dataset.messaging;

/** Channel names of the dataset service, shared by consumers and tests. */
public final class DatasetChannels {

    /** Incoming {@link dev.tunewright.contracts.Topics#JOBS}: which jobs train on which dataset. */
    public static final String JOB_EVENTS = "job-events";

    private DatasetChannels() {
    }
}
