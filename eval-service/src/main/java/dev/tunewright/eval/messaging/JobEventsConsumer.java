package dev.tunewright.eval.messaging;

import dev.tunewright.contracts.EventFields;
import dev.tunewright.contracts.EventJson;
import dev.tunewright.contracts.job.JobEvent;
import dev.tunewright.eval.service.EvaluationService;
import dev.tunewright.eval.service.EvaluationWorkers;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Turns job events into queued evaluations and wakes a worker; the event is acknowledged as soon as the
 * evaluation is queued, never held for the evaluation itself. Malformed events and unknown schema versions are
 * logged and skipped: retrying them can never succeed and would stall the partition.
 */
@ApplicationScoped
public class JobEventsConsumer {

    private static final Logger LOG = Logger.getLogger(JobEventsConsumer.class);

    private final EvaluationService evaluations;
    private final EvaluationWorkers workers;

    public JobEventsConsumer(EvaluationService evaluations, EvaluationWorkers workers) {
        this.evaluations = evaluations;
        this.workers = workers;
    }

    @Incoming(EvalChannels.JOB_EVENTS)
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
        if (evaluations.onJobEvent(event)) {
            workers.wake();
        }
    }
}
