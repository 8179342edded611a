package dev.tunewright.dataset.messaging;

import dev.tunewright.contracts.EventFields;
import dev.tunewright.contracts.EventJson;
import dev.tunewright.contracts.job.JobEvent;
import dev.tunewright.dataset.service.DatasetUsageService;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Follows job lifecycle events to know which datasets are in use. Malformed events and unknown schema versions
 * are logged and skipped: retrying them can never succeed and would stall the partition.
 */
@ApplicationScoped
public class JobEventsConsumer {

    private static final Logger LOG = Logger.getLogger(JobEventsConsumer.class);

    private final DatasetUsageService usage;

    public JobEventsConsumer(DatasetUsageService usage) {
        this.usage = usage;
    }

    @Incoming(DatasetChannels.JOB_EVENTS)
    @Blocking
    public void consume(String payload) {
        JobEvent event;
        try {
            event = EventJson.read(payload, JobEvent.class);
        } catch (IllegalArgumentException e) {
            LOG.errorf("skipping malformed job event: %s", e.getMessage());
            return;
        }
        if (event.schemaVersion() > EventFields.SCHEMA_VERSION) {
            LOG.errorf("skipping job event %s of unknown schema version %d", event.eventId(), event.schemaVersion());
            return;
        }
        usage.apply(event);
    }
}
