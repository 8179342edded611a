package dev.tunewright.engine.hub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The standard Hugging Face cache layout for one repository:
 * {@code models--org--name/blobs/<hash>}, {@code snapshots/<commit>/<file>} (relative links to the
 * blobs) and {@code refs/<revision>} (the commit a branch or tag pointed to).
 */
final class HubCache {

    static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    private final Path repoDir;
    private final Path lockDir;

    HubCache(Path cacheDir, String repoId) {
        String folder = "models--" + repoId.replace("/", "--");
        this.repoDir = cacheDir.resolve(folder);
        this.lockDir = cacheDir.resolve(".locks").resolve(folder);
    }

    /** Where huggingface_hub keeps its per-blob lock files, so both clients exclude each other. */
    Path lock(String hash) {
        return lockDir.resolve(hash + ".lock");
    }

    Path repoDir() {
        return repoDir;
    }

    Path blob(String hash) {
        return repoDir.resolve("blobs").resolve(hash);
    }

    Path incomplete(String hash) {
        return repoDir.resolve("blobs").resolve(hash + ".incomplete");
    }

    Path snapshot(String commit) {
        return repoDir.resolve("snapshots").resolve(commit);
    }

    void writeRef(String revision, String commit) throws IOException {
        if (revision.equals(commit)) {
            return;
        }
        Path ref = repoDir.resolve("refs").resolve(revision);
        Files.createDirectories(ref.getParent());
        Path tmp = Files.createTempFile(ref.getParent(), ".ref", ".tmp");
        Files.writeString(tmp, commit, StandardCharsets.UTF_8);
        Files.move(tmp, ref, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The cached snapshot for a revision (a commit, or a ref recorded by an earlier download). */
    Optional<Path> cachedSnapshot(String revision) throws IOException {
        String commit = revision;
        if (!COMMIT.matcher(revision).matches()) {
            Path ref = repoDir.resolve("refs").resolve(revision);
            if (!Files.isRegularFile(ref)) {
                return Optional.empty();
            }
            commit = Files.readString(ref, StandardCharsets.UTF_8).strip();
        }
        Path snap = snapshot(commit);
        return Files.isDirectory(snap) ? Optional.of(snap) : Optional.empty();
    }

    /**
     * Points {@code snapshots/<commit>/<file>} at its blob (copies where links are not supported),
     * through a temporary name and a rename so concurrent downloads never see a missing file.
     */
    void link(String commit, String file, String hash) throws IOException {
        Path target = snapshot(commit).resolve(file);
        Files.createDirectories(target.getParent());
        Path blob = blob(hash);
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try {
                Files.createSymbolicLink(tmp, target.getParent().relativize(blob));
            } catch (UnsupportedOperationException | IOException e) {
                Files.copy(blob, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    boolean linked(String commit, String file, String hash) {
        Path target = snapshot(commit).resolve(file);
        return Files.isRegularFile(target) && Files.isRegularFile(blob(hash));
    }
}
