package dev.tunewright.common.artifact;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

/**
 * Artifacts as files {@code <root>/sha256/<2 hex>/<64 hex>}, written under {@code <root>/tmp} and renamed into
 * place, so a crash leaves at most a stray temporary file, never a truncated artifact. Renaming over an existing
 * artifact is harmless: its content is the same by construction.
 */
public final class LocalArtifactStore implements ArtifactStore {

    private final Path root;

    public LocalArtifactStore(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        Files.createDirectories(this.root.resolve("tmp"));
    }

    @Override
    public Stored put(Content content) throws IOException {
        Path tmp = Files.createTempFile(root.resolve("tmp"), "upload-", ".part");
        try {
            Stored stored = HashingOutputStream.write(tmp, content);
            HashingOutputStream.moveIntoPlace(tmp, file(stored.id()));
            return stored;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public Stored putFile(Path file, String sha256) throws IOException {
        ArtifactIds.checkSha256(sha256);
        long bytes = Files.size(file);
        Path target = file(ArtifactIds.id(sha256));
        Files.createDirectories(target.getParent());
        try {
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Path tmp = Files.createTempFile(root.resolve("tmp"), "upload-", ".part");
            try {
                Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        return new Stored(ArtifactIds.id(sha256), bytes, sha256);
    }

    @Override
    public Path stagingFile() throws IOException {
        return Files.createTempFile(root.resolve("tmp"), "upload-", ".part");
    }

    @Override
    public InputStream open(String id) throws IOException {
        Path file = file(id);
        if (!Files.exists(file)) {
            throw new FileNotFoundException("artifact " + id + " is not in the store at " + root);
        }
        return Files.newInputStream(file);
    }

    @Override
    public Path localPath(String id) throws IOException {
        Path file = file(id);
        if (!Files.exists(file)) {
            throw new FileNotFoundException("artifact " + id + " is not in the store at " + root);
        }
        return file;
    }

    @Override
    public boolean exists(String id) {
        return Files.exists(file(id));
    }

    @Override
    public void delete(String id) throws IOException {
        Files.deleteIfExists(file(id));
    }

    @Override
    public int removeStaleStaging(Duration idleFor) throws IOException {
        FileTime before = FileTime.from(Instant.now().minus(idleFor));
        int removed = 0;
        try (DirectoryStream<Path> staged = Files.newDirectoryStream(root.resolve("tmp"), "upload-*.part")) {
            for (Path file : staged) {
                try {
                    if (Files.getLastModifiedTime(file).compareTo(before) < 0 && Files.deleteIfExists(file)) {
                        removed++;
                    }
                } catch (NoSuchFileException e) {
                    // published or removed meanwhile
                }
            }
        }
        return removed;
    }

    private Path file(String id) {
        return root.resolve(ArtifactIds.relativePath(ArtifactIds.sha256Of(id)));
    }
}
