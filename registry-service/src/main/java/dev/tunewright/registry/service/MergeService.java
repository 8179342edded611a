package dev.tunewright.registry.service;

import dev.tunewright.common.artifact.ArtifactFolder;
import dev.tunewright.common.artifact.ArtifactStore;
import dev.tunewright.common.identity.TeamIdentity;
import dev.tunewright.common.queue.Lease;
import dev.tunewright.common.queue.WorkQueue;
import dev.tunewright.common.rest.ApiException;
import dev.tunewright.engine.lora.AdapterFormatException;
import dev.tunewright.engine.lora.LoraMerge;
import dev.tunewright.engine.safetensors.DType;
import dev.tunewright.registry.config.RegistryConfig;
import dev.tunewright.registry.repository.AdapterVersion;
import dev.tunewright.registry.repository.AdapterVersionRepository;
import dev.tunewright.registry.repository.MergeExport;
import dev.tunewright.registry.repository.MergeExportRepository;
import dev.tunewright.registry.worker.Scratch;
import dev.tunewright.registry.worker.WorkKinds;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Merged full-model exports: a request queues one ({@link WorkKinds#MERGE}) per version and dtype, and a worker bakes
 * the adapter into its base with the engine's {@link LoraMerge} and stores the merged folder as one artifact, which
 * is then downloadable like the adapter.
 */
@ApplicationScoped
public class MergeService {

    /** Each tensor keeps the base's stored dtype. */
    public static final String AUTO = "auto";
    private static final Logger LOG = Logger.getLogger(MergeService.class);

    /** An export after a request; {@code queued} tells whether this request queued it. */
    public record Requested(MergeExport export, boolean queued) {
    }

    private final AdapterLookup lookup;
    private final AdapterVersionRepository versions;
    private final MergeExportRepository exports;
    private final BaseModels bases;
    private final ArtifactStore store;
    private final WorkQueue queue;
    private final Scratch scratch;
    private final RegistryConfig config;

    public MergeService(AdapterLookup lookup, AdapterVersionRepository versions, MergeExportRepository exports,
            BaseModels bases, ArtifactStore store, WorkQueue queue, Scratch scratch, RegistryConfig config) {
        this.lookup = lookup;
        this.versions = versions;
        this.exports = exports;
        this.bases = bases;
        this.store = store;
        this.queue = queue;
        this.scratch = scratch;
        this.config = config;
    }

    /** {@code float32}, {@code bfloat16}, {@code float16} or {@code auto}, in the one spelling exports are kept under. */
    public static String canonicalDtype(String dtype) {
        if (dtype == null || dtype.isBlank() || dtype.equalsIgnoreCase(AUTO)) {
            return AUTO;
        }
        try {
            return switch (LoraMerge.parseDtype(dtype)) {
                case F32 -> "float32";
                case BF16 -> "bfloat16";
                case F16 -> "float16";
            };
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_value", "dtype", e.getMessage() + " (or auto: keep the base's)");
        }
    }

    /** Queues the export of one version in one dtype, unless it is queued, running or done already. */
    @Transactional
    public Requested request(TeamIdentity caller, String name, int version, String dtype) {
        String canonical = canonicalDtype(dtype);
        AdapterVersion v = lookup.version(caller.teamId(), name, version);
        MergeExport export = exports.of(v.id, canonical).orElse(null);
        if (export != null && !MergeExport.FAILED.equals(export.status)) {
            return new Requested(export, false);
        }
        if (export == null) {
            export = new MergeExport();
            export.id = "mrg-" + UUID.randomUUID().toString().replace("-", "");
            export.teamId = v.teamId;
            export.versionId = v.id;
            export.dtype = canonical;
        }
        export.status = MergeExport.QUEUED;
        export.error = null;
        export.requestedAt = Instant.now();
        export.finishedAt = null;
        exports.persist(export);
        queue.enqueue(WorkKinds.MERGE, WorkKinds.MERGE + "-" + export.id, v.teamId, 0);
        return new Requested(export, true);
    }

    /** The work of one item; an exception hands it back to the queue for another try. */
    public void run(Lease lease) throws IOException {
        String exportId = WorkKinds.subject(WorkKinds.MERGE, lease.id());
        MergeExport export = QuarkusTransaction.requiringNew().call(() -> exports.findById(exportId));
        if (export == null || MergeExport.SUCCEEDED.equals(export.status)) {
            QuarkusTransaction.requiringNew().run(() -> queue.complete(lease));
            return;
        }
        AdapterVersion version = QuarkusTransaction.requiringNew().call(() -> {
            exports.findById(exportId).status = MergeExport.RUNNING;
            return versions.findById(export.versionId);
        });
        try (Scratch.Folder work = scratch.create("merge-")) {
            try {
                String artifactId = merge(version, export.dtype, work.path());
                long bytes = ArtifactFolder.read(store, artifactId).bytes();
                finish(lease, exportId, MergeExport.SUCCEEDED, artifactId, bytes, null);
                LOG.infof("merge %s of %s v%d (%s): %d bytes as %s", exportId, version.baseModel, version.version,
                        export.dtype, bytes, artifactId);
            } catch (AdapterFormatException | IllegalArgumentException | ApiException e) {
                finish(lease, exportId, MergeExport.FAILED, null, null, work.relative(e.getMessage()));
            } catch (IOException e) {
                if (lease.attempts() < config.workers().maxAttempts()) {
                    QuarkusTransaction.requiringNew().run(() -> exports.findById(exportId).status = MergeExport.QUEUED);
                    throw e;
                }
                finish(lease, exportId, MergeExport.FAILED, null, null,
                        "gave up after " + lease.attempts() + " tries: " + work.relative(e.getMessage()));
            }
        }
    }

    private String merge(AdapterVersion version, String dtype, Path work) throws IOException {
        Path adapterDir = work.resolve("adapter");
        Path merged = work.resolve("merged");
        ArtifactFolder.read(store, version.artifactId).copyTo(store, adapterDir);
        Path baseDir = bases.folder(version);
        DType out = AUTO.equals(dtype) ? null : LoraMerge.parseDtype(dtype);
        LoraMerge.merge(baseDir, adapterDir, merged, out);
        return ArtifactFolder.put(store, merged).id();
    }

    private void finish(Lease lease, String exportId, String status, String artifactId, Long bytes, String error) {
        QuarkusTransaction.requiringNew().run(() -> {
            MergeExport e = exports.findById(exportId);
            e.status = status;
            e.artifactId = artifactId;
            e.bytes = bytes;
            e.error = error;
            e.finishedAt = Instant.now();
            queue.complete(lease);
        });
        if (error != null) {
            LOG.warnf("merge %s failed: %s", exportId, error);
        }
    }
}
