package dev.tunewright.common.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where datasets, checkpoints and adapters live; Kafka events and database rows only carry the ids.
 * Artifacts are content-addressed and immutable, so a reader never sees a half-written one and writing the same
 * bytes twice stores them once. The local folder is the default; an S3-compatible store implements the same
 * contract.
 */
public interface ArtifactStore {

    /** Produces an artifact's bytes into the stream it is given. */
    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** The id of the artifact with this content: ids are {@code sha256-<lowercase hex>} in every store. */
    static String idOf(String sha256) {
        return "sha256-" + sha256;
    }

    /** A stored artifact: its id, size and SHA-256. */
    record Stored(String id, long bytes, String sha256) {
    }

    /** Writes the content to a temporary place, then publishes it under its hash; nothing is visible on failure. */
    Stored put(Content content) throws IOException;

    /**
     * Publishes a file the caller owns and has hashed itself while reading it, so that its bytes are neither read
     * nor hashed again: on the store's own file system it is moved into place (and gone from {@code file}),
     * otherwise copied through a temporary file. Publication is atomic either way.
     *
     * @param sha256 lowercase hex SHA-256 of the file's content
     */
    Stored putFile(Path file, String sha256) throws IOException;

    /**
     * A new empty file on the store's own file system, for content that arrives as a stream and is published with
     * {@link #putFile} by a rename; the caller deletes it when it does not publish it.
     */
    Path stagingFile() throws IOException;

    InputStream open(String id) throws IOException;

    /** A local path for readers that need random access; stores without local files copy to a cache first. */
    Path localPath(String id) throws IOException;

    boolean exists(String id);

    /**
     * Removes the bytes. Content is shared by everything that stored the same bytes, so callers delete only under
     * {@link ArtifactLocks} after making sure nothing points at the artifact any more.
     */
    void delete(String id) throws IOException;

    /**
     * Removes staging files nobody has written to for {@code idleFor}: what a crash or a kill left half-written.
     * The staging area is shared by every service using the store, so files still being written (recently
     * modified) are left alone.
     *
     * @return how many files were removed
     */
    default int removeStaleStaging(Duration idleFor) throws IOException {
        return 0;
    }
}
