package dev.tunewright.dataset.service;

import dev.tunewright.common.artifact.ArtifactLocks;
import dev.tunewright.common.artifact.ArtifactStore;
import dev.tunewright.dataset.repository.DatasetFileRepository;
import dev.tunewright.dataset.repository.StoredArtifact;
import dev.tunewright.dataset.repository.StoredArtifactRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The artifacts this service keeps in the store it shares with every team and every other service. Content is
 * addressed by its hash, so two teams uploading the same bytes share one copy, and a delete must never take bytes
 * that a concurrent upload is publishing. Every publication and every release of bytes happens under the
 * artifact's {@link ArtifactLocks lock}:
 * <ul>
 *   <li>{@link #register} notes the artifact in the {@code stored_artifact} ledger (committed) before its bytes are
 *       published, so that bytes published by a transaction that then failed, or by a process that died, are still
 *       found and collected;</li>
 *   <li>{@link #publish} renames staged bytes into the store inside the caller's transaction, which records the row
 *       that points at them before the lock is released;</li>
 *   <li>{@link #release} deletes bytes only when no file, row index or dataset points at them any more.</li>
 * </ul>
 * Only artifacts in the ledger are ever collected: another service's artifacts are not this service's to judge.
 */
@ApplicationScoped
public class OwnArtifacts {

    /** Bytes hashed and waiting in the store's staging area, not yet an artifact; closing removes them if unpublished. */
    public record Staged(Path file, String sha256, long bytes) implements AutoCloseable {
        public String id() {
            return ArtifactStore.idOf(sha256);
        }

        @Override
        public void close() throws IOException {
            Files.deleteIfExists(file);
        }
    }

    /** What one collection removed: artifacts nothing pointed at, and the ledger entries of artifacts in use. */
    public record Collected(int deleted, int stillInUse) {
    }

    private static final Logger LOG = Logger.getLogger(OwnArtifacts.class);
    private static final int COLLECT_BATCH = 1000;

    private final ArtifactStore artifacts;
    private final ArtifactLocks locks;
    private final StoredArtifactRepository ledger;
    private final DatasetFileRepository files;
    private final StagingThreads staging;

    public OwnArtifacts(ArtifactStore artifacts, ArtifactLocks locks, StoredArtifactRepository ledger,
            DatasetFileRepository files, StagingThreads staging) {
        this.artifacts = artifacts;
        this.locks = locks;
        this.ledger = ledger;
        this.files = files;
        this.staging = staging;
    }

    /** Writes content to a new staging file, hashed on a staging thread while it is written. */
    public Staged stage(ArtifactStore.Content content) throws IOException {
        Path file = artifacts.stagingFile();
        try (StagingWriter writer = staging.writer(file)) {
            try (OutputStream out = new BufferedOutputStream(writer.stream(), 1 << 16)) {
                content.writeTo(out);
            }
            return new Staged(file, writer.finish(), writer.bytes());
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /**
     * Notes that this service is about to publish these artifacts (in a transaction of its own when called outside
     * one), or that a reference to them is about to go: either way they are collected if nothing points at them
     * after the grace period.
     */
    @Transactional
    public void register(Collection<String> ids) {
        locks.lock(ids);
        Instant now = Instant.now();
        Set.copyOf(ids).forEach(id -> ledger.touch(id, now));
    }

    /**
     * Moves staged bytes into the store under the artifacts' locks, which the caller's transaction holds until the
     * row pointing at them is committed. All of a transaction's artifacts are locked in one call, in one order, so
     * that two transactions never wait for each other. Publishing bytes that are already there replaces them with
     * identical ones.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<ArtifactStore.Stored> publish(Staged... staged) {
        List<String> ids = Arrays.stream(staged).map(Staged::id).toList();
        locks.lock(ids);
        Instant now = Instant.now();
        List<ArtifactStore.Stored> stored = new ArrayList<>();
        for (Staged artifact : staged) {
            ledger.touch(artifact.id(), now);
            try {
                stored.add(artifacts.putFile(artifact.file(), artifact.sha256()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot publish " + artifact.id() + ": " + e.getMessage(), e);
            }
        }
        return stored;
    }

    /**
     * Deletes the artifact's bytes if nothing points at them any more; called whenever a reference goes (a file
     * deleted, a publication rolled back). Answers whether the bytes were deleted.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean release(String id) {
        locks.lock(List.of(id));
        return releaseLocked(id);
    }

    /** {@link #release} for each, never failing the caller: what cannot be released now is collected later. */
    public void releaseQuietly(Collection<String> ids) {
        for (String id : Set.copyOf(ids)) {
            try {
                release(id);
            } catch (RuntimeException e) {
                LOG.warnf("cannot release artifact %s now (%s); it is collected later", id, e.getMessage());
            }
        }
    }

    /**
     * Collects this service's artifacts last stored before {@code grace} ago: deletes those nothing points at and
     * forgets those in use (a reference that goes later releases them itself). At most a batch per call; the next
     * collection goes on where this one stopped.
     */
    public Collected collect(Duration grace) {
        Instant cutoff = Instant.now().minus(grace);
        int deleted = 0;
        int inUse = 0;
        for (String id : ledger.storedBefore(cutoff, COLLECT_BATCH)) {
            try {
                Boolean outcome = collectOne(id, cutoff);
                if (Boolean.TRUE.equals(outcome)) {
                    deleted++;
                } else if (Boolean.FALSE.equals(outcome)) {
                    inUse++;
                }
            } catch (RuntimeException e) {
                LOG.warnf("cannot collect artifact %s now (%s); trying again at the next collection", id, e.getMessage());
            }
        }
        return new Collected(deleted, inUse);
    }

    /** True: deleted; false: in use, forgotten; null: published again meanwhile, left for a later collection. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    Boolean collectOne(String id, Instant cutoff) {
        locks.lock(List.of(id));
        StoredArtifact stored = ledger.findById(id);
        if (stored == null || !stored.storedAt.isBefore(cutoff)) {
            return null;
        }
        return releaseLocked(id);
    }

    private boolean releaseLocked(String id) {
        ledger.deleteById(id);
        if (files.artifactInUse(id)) {
            return false;
        }
        try {
            artifacts.delete(id);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete artifact " + id + ": " + e.getMessage(), e);
        }
        return true;
    }
}
