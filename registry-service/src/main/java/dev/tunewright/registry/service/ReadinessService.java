package dev.tunewright.registry.service;

import dev.tunewright.common.artifact.ArtifactFolder;
import dev.tunewright.common.artifact.ArtifactStore;
import dev.tunewright.common.queue.Lease;
import dev.tunewright.common.queue.WorkQueue;
import dev.tunewright.registry.config.RegistryConfig;
import dev.tunewright.registry.readiness.ServingReadiness;
import dev.tunewright.registry.repository.AdapterVersion;
import dev.tunewright.registry.repository.AdapterVersionRepository;
import dev.tunewright.registry.repository.JsonText;
import dev.tunewright.registry.worker.Scratch;
import dev.tunewright.registry.worker.WorkKinds;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Runs a version's serving-readiness check as a work item ({@link WorkKinds#READINESS}): unpacks the adapter from the
 * artifact store, resolves the base through the model policy (a hub base may need fetching, which is why this is
 * queued work and not part of consuming the event) and stores every check with its reason.
 */
@ApplicationScoped
public class ReadinessService {

    private static final Logger LOG = Logger.getLogger(ReadinessService.class);

    private final AdapterVersionRepository versions;
    private final ArtifactStore store;
    private final BaseModels bases;
    private final WorkQueue queue;
    private final Scratch scratch;
    private final RegistryConfig config;

    public ReadinessService(AdapterVersionRepository versions, ArtifactStore store, BaseModels bases, WorkQueue queue,
            Scratch scratch, RegistryConfig config) {
        this.versions = versions;
        this.store = store;
        this.bases = bases;
        this.queue = queue;
        this.scratch = scratch;
        this.config = config;
    }

    /** The work of one item; an exception hands it back to the queue for another try. */
    public void run(Lease lease) throws IOException {
        String versionId = WorkKinds.subject(WorkKinds.READINESS, lease.id());
        AdapterVersion version = QuarkusTransaction.requiringNew().call(() -> versions.findById(versionId));
        if (version == null) {
            QuarkusTransaction.requiringNew().run(() -> queue.complete(lease));
            return;
        }
        ServingReadiness.Result result;
        try (Scratch.Folder work = scratch.create("readiness-")) {
            Path adapterDir = work.path().resolve("adapter");
            try {
                ArtifactFolder.read(store, version.artifactId).copyTo(store, adapterDir);
                result = ServingReadiness.check(adapterDir, bases.forReadiness(version), config.maxLoraRank());
            } catch (FileNotFoundException | NoSuchFileException e) {
                result = ServingReadiness.unreadable(work.relative(e.getMessage()));
            } catch (IOException e) {
                if (lease.attempts() < config.workers().maxAttempts()) {
                    throw e;
                }
                result = ServingReadiness.unreadable("gave up after " + lease.attempts() + " tries: "
                        + work.relative(e.getMessage()));
            }
        }
        ServingReadiness.Result checked = result;
        QuarkusTransaction.requiringNew().run(() -> {
            AdapterVersion v = versions.findById(versionId);
            v.readinessStatus = checked.passed() ? AdapterVersion.PASSED : AdapterVersion.FAILED;
            v.readinessChecks = JsonText.write(checked.checks());
            v.loraRank = checked.rank();
            v.readinessCheckedAt = Instant.now();
            queue.complete(lease);
        });
        LOG.infof("version %s readiness %s%s", versionId, checked.passed() ? "passed" : "failed",
                checked.passed() ? "" : ": " + String.join("; ", checked.failures()));
    }
}
