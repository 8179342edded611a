package dev.tunewright.common.artifact;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Counts and SHA-256-hashes what passes through, so that every store names an artifact by the bytes it actually
 * wrote, whatever produced them.
 */
final class HashingOutputStream extends FilterOutputStream {

    private final MessageDigest sha256 = sha256();
    private long count;

    HashingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        sha256.update((byte) b);
        count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        sha256.update(b, off, len);
        count += len;
    }

    /** Writes what {@code content} produces into {@code file}; returns the artifact those bytes are. */
    static ArtifactStore.Stored write(Path file, ArtifactStore.Content content) throws IOException {
        try (HashingOutputStream hashing = new HashingOutputStream(
                new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            content.writeTo(hashing);
            hashing.flush();
            String sha256 = hashing.sha256Hex();
            return new ArtifactStore.Stored(ArtifactIds.id(sha256), hashing.count(), sha256);
        }
    }

    /**
     * Renames a finished file to its place under its hash. Someone else having put the same bytes there first is
     * no failure: the content is the same by construction.
     */
    static void moveIntoPlace(Path file, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        try {
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
            if (!Files.exists(target)) {
                throw e;
            }
        }
    }

    long count() {
        return count;
    }

    /** The lowercase hex SHA-256 of everything written; call once, after the last write. */
    String sha256Hex() {
        return HexFormat.of().formatHex(sha256.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}
