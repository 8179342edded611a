package dev.tunewright.registry.messaging;

import dev.tunewright.contracts.job.JobEvent;
import dev.tunewright.contracts.job.JobSucceeded;
import dev.tunewright.registry.service.RegistrationService;
import dev.tunewright.registry.worker.RegistryWorkers;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes the trainer's job events: a succeeded job registers its adapter. Registration is quick (database rows and
 * the folder's manifest); the readiness check it queues runs on a worker, so the partition is never held.
 */
@ApplicationScoped
public class JobEventsConsumer {

    private final RegistrationService registrations;
    private final RegistryWorkers workers;

    public JobEventsConsumer(RegistrationService registrations, RegistryWorkers workers) {
        this.registrations = registrations;
        this.workers = workers;
    }

    @Incoming(RegistryChannels.JOB_EVENTS)
    @Blocking
    public void consume(String payload) {
        EventReader.read(payload, JobEvent.class).ifPresent(event -> {
            if (event instanceof JobSucceeded succeeded && registrations.register(succeeded)) {
                workers.wakeReadiness();
            }
        });
    }
}
