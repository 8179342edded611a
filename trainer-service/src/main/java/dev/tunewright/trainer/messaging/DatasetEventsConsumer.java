package dev.tunewright.trainer.messaging;

import dev.tunewright.contracts.EventFields;
import dev.tunewright.contracts.EventJson;
import dev.tunewright.contracts.dataset.DatasetEvent;
import dev.tunewright.contracts.dataset.DatasetIngested;
import dev.tunewright.trainer.repository.Job;
import dev.tunewright.trainer.repository.KnownDataset;
import dev.tunewright.trainer.repository.KnownDatasetRepository;
import dev.tunewright.trainer.service.JobService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Learns each dataset's owner and split artifacts from {@code dataset.ingested}, and moves the jobs that were
 * waiting for them into the queue. Idempotent: a redelivered event finds the dataset recorded and no job waiting.
 * Malformed events and unknown schema versions are logged and skipped, as retrying them cannot succeed.
 */
@ApplicationScoped
public class DatasetEventsConsumer {

    private static final Logger LOG = Logger.getLogger(DatasetEventsConsumer.class);

    private final KnownDatasetRepository datasets;
    private final JobService jobs;

    public DatasetEventsConsumer(KnownDatasetRepository datasets, JobService jobs) {
        this.datasets = datasets;
        this.jobs = jobs;
    }

    @Incoming(TrainerChannels.DATASET_EVENTS)
    @Blocking
    public void consume(String payload) {
        DatasetEvent event;
        try {
            event = EventJson.read(payload, DatasetEvent.class);
        } catch (IllegalArgumentException e) {
            LOG.errorf("skipping malformed dataset event: %s", e.getMessage());
            return;
        }
        if (event.schemaVersion() > EventFields.SCHEMA_VERSION) {
            LOG.errorf("skipping dataset event %s of unknown schema version %d", event.eventId(), event.schemaVersion());
            return;
        }
        if (event instanceof DatasetIngested ingested) {
            List<Job> queued = QuarkusTransaction.requiringNew().call(() -> jobs.datasetArrived(record(ingested)));
            queued.forEach(jobs::afterCommit);
        }
    }

    private KnownDataset record(DatasetIngested event) {
        KnownDataset dataset = datasets.findById(event.datasetId());
        if (dataset == null) {
            dataset = new KnownDataset();
            dataset.id = event.datasetId();
            dataset.teamId = event.teamId();
            dataset.fileId = event.fileId();
            dataset.format = event.format();
            dataset.trainRows = event.trainRows();
            dataset.validationRows = event.validationRows();
            dataset.trainArtifactId = event.trainArtifactId();
            dataset.validationArtifactId = event.validationArtifactId();
            dataset.ingestedAt = event.occurredAt();
            datasets.persist(dataset);
            datasets.flush();
        }
        return dataset;
    }
}
