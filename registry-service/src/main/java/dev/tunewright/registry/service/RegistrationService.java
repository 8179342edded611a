package dev.tunewright.registry.service;

import dev.tunewright.common.artifact.ArtifactFolder;
import dev.tunewright.common.artifact.ArtifactStore;
import dev.tunewright.common.messaging.ProcessedEvents;
import dev.tunewright.common.outbox.Outbox;
import dev.tunewright.common.queue.WorkQueue;
import dev.tunewright.contracts.Topics;
import dev.tunewright.contracts.adapter.AdapterRegistered;
import dev.tunewright.contracts.job.JobLineage;
import dev.tunewright.contracts.job.JobSucceeded;
import dev.tunewright.registry.repository.Adapter;
import dev.tunewright.registry.repository.AdapterRepository;
import dev.tunewright.registry.repository.AdapterVersion;
import dev.tunewright.registry.repository.AdapterVersionRepository;
import dev.tunewright.registry.repository.JsonText;
import dev.tunewright.registry.worker.WorkKinds;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Turns a {@code job.succeeded} into a registered adapter version with its lineage. A job registers once: a
 * redelivered event (same id) is skipped by {@link ProcessedEvents}, and a job announced twice (a new event id for
 * the same job) finds its version by job id, so the version numbers never skip or repeat.
 */
@ApplicationScoped
public class RegistrationService {

    static final String CONSUMER = "registry.registrations";
    private static final Logger LOG = Logger.getLogger(RegistrationService.class);

    private final AdapterRepository adapters;
    private final AdapterVersionRepository versions;
    private final ProcessedEvents processedEvents;
    private final ArtifactStore store;
    private final WorkQueue queue;
    private final Outbox outbox;

    public RegistrationService(AdapterRepository adapters, AdapterVersionRepository versions,
            ProcessedEvents processedEvents, ArtifactStore store, WorkQueue queue, Outbox outbox) {
        this.adapters = adapters;
        this.versions = versions;
        this.processedEvents = processedEvents;
        this.store = store;
        this.queue = queue;
        this.outbox = outbox;
    }

    /** Registers the job's adapter; returns whether a new version was created (its readiness check is queued). */
    @Transactional
    public boolean register(JobSucceeded event) {
        if (!processedEvents.firstTime(event.eventId(), CONSUMER)) {
            return false;
        }
        if (versions.byJob(event.teamId(), event.jobId()).isPresent()) {
            LOG.infof("job %s is registered already; event %s changes nothing", event.jobId(), event.eventId());
            return false;
        }
        JobLineage lineage = event.lineage();
        String baseModel = lineage != null && lineage.baseModel() != null ? lineage.baseModel() : event.baseModel();
        String name = AdapterNames.of(event.suffix(), baseModel);
        Instant now = Instant.now();
        Adapter adapter = adapters.byNameForUpdate(event.teamId(), name).orElseGet(() -> create(event.teamId(), name, now));
        adapter.latestVersion++;
        adapter.updatedAt = now;

        AdapterVersion v = new AdapterVersion();
        v.id = "adpv-" + UUID.randomUUID().toString().replace("-", "");
        v.adapterId = adapter.id;
        v.teamId = event.teamId();
        v.version = adapter.latestVersion;
        v.jobId = event.jobId();
        v.fineTunedModel = event.fineTunedModel();
        v.artifactId = event.adapterArtifactId();
        fillFiles(v);
        v.baseModel = baseModel;
        v.trainedTokens = event.trainedTokens();
        v.finalTrainLoss = event.finalTrainLoss();
        v.finalValidationLoss = event.finalValidationLoss();
        v.resultFileArtifactId = event.resultFileArtifactId();
        v.hyperparameters = JsonText.write(lineage == null ? Map.of() : lineage.hyperparameters());
        if (lineage != null) {
            v.baseModelRevision = lineage.baseModelRevision();
            v.baseWeightsSha256 = lineage.baseWeightsSha256();
            v.baseTokenizerSha256 = lineage.baseTokenizerSha256();
            v.datasetId = lineage.datasetId();
            v.datasetSha256 = lineage.datasetSha256();
            v.trainArtifactId = lineage.trainArtifactId();
            v.validationArtifactId = lineage.validationArtifactId();
            v.seed = lineage.seed();
            v.engineVersion = lineage.engineVersion();
        }
        v.readinessStatus = AdapterVersion.PENDING;
        v.createdAt = now;
        versions.persist(v);
        queue.enqueue(WorkKinds.READINESS, WorkKinds.READINESS + "-" + v.id, v.teamId, 0);
        outbox.enqueue(Topics.ADAPTERS, AdapterRegistered.of(v.teamId, adapter.id, name, v.version, v.jobId, v.datasetId,
                v.baseModel, v.artifactId, v.fineTunedModel, v.baseModelRevision));
        LOG.infof("job %s registered as %s version %d", event.jobId(), name, v.version);
        return true;
    }

    private Adapter create(String teamId, String name, Instant now) {
        Adapter adapter = new Adapter();
        adapter.id = "adp-" + UUID.randomUUID().toString().replace("-", "");
        adapter.teamId = teamId;
        adapter.name = name;
        adapter.createdAt = now;
        adapter.updatedAt = now;
        adapters.persist(adapter);
        return adapter;
    }

    /**
     * The SHA-256 of every file, as the folder's manifest lists them. A manifest that cannot be read still registers
     * the version (its lineage is worth keeping); the readiness check then fails on the missing folder.
     */
    private void fillFiles(AdapterVersion v) {
        Map<String, Object> files = new LinkedHashMap<>();
        long bytes = 0;
        try {
            ArtifactFolder folder = ArtifactFolder.read(store, v.artifactId);
            for (Map.Entry<String, ArtifactStore.Stored> file : folder.files().entrySet()) {
                files.put(file.getKey(), Map.of("sha256", file.getValue().sha256(), "bytes", file.getValue().bytes(),
                        "artifact_id", file.getValue().id()));
            }
            bytes = folder.bytes();
        } catch (IOException | IllegalArgumentException e) {
            LOG.errorf("job %s: adapter folder %s cannot be read: %s", v.jobId, v.artifactId, e.getMessage());
        }
        v.files = JsonText.write(files);
        v.adapterBytes = bytes;
    }
}
