package dev.tunewright.dataset.service;

import dev.tunewright.common.messaging.ProcessedEvents;
import dev.tunewright.contracts.job.JobCancelled;
import dev.tunewright.contracts.job.JobCreated;
import dev.tunewright.contracts.job.JobEvent;
import dev.tunewright.contracts.job.JobFailed;
import dev.tunewright.contracts.job.JobSucceeded;
import dev.tunewright.dataset.repository.DatasetUsage;
import dev.tunewright.dataset.repository.DatasetUsageRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** A job uses its dataset from its creation until it succeeds, fails or is cancelled. */
@ApplicationScoped
public class DatasetUsageService {

    static final String CONSUMER = "dataset.usage";

    private final DatasetUsageRepository usages;
    private final ProcessedEvents processedEvents;

    public DatasetUsageService(DatasetUsageRepository usages, ProcessedEvents processedEvents) {
        this.usages = usages;
        this.processedEvents = processedEvents;
    }

    @Transactional
    public void apply(JobEvent event) {
        boolean relevant = event instanceof JobCreated || event instanceof JobSucceeded || event instanceof JobFailed
                || event instanceof JobCancelled;
        if (!relevant || !processedEvents.firstTime(event.eventId(), CONSUMER)) {
            return;
        }
        DatasetUsage usage = usages.findByIdOptional(event.subjectId()).orElse(null);
        if (event instanceof JobCreated created) {
            if (usage == null) {
                usage = new DatasetUsage();
                usage.jobId = created.jobId();
                usage.teamId = created.teamId();
                usage.datasetId = created.trainDatasetId();
                usage.active = true;
                usage.updatedAt = created.occurredAt();
                usages.persist(usage);
            }
        } else if (usage != null) {
            usage.active = false;
            usage.updatedAt = event.occurredAt();
        }
    }
}
