package dev.tunewright.common.artifact;

import java.io.BufferedOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Artifacts as files {@code <root>/sha256/<2 hex>/<64 hex>}, written under {@code <root>/tmp} and renamed into
 * place, so a crash leaves at most a stray temporary file, never a truncated artifact. Renaming over an existing
 * artifact is harmless: its content is the same by construction.
 */
public final class LocalArtifactStore implements ArtifactStore {

    private static final String PREFIX = "sha256-";
    private static final Pattern ID = Pattern.compile("sha256-[0-9a-f]{64}");
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    private final Path root;

    public LocalArtifactStore(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        Files.createDirectories(this.root.resolve("tmp"));
    }

    @Override
    public Stored put(Content content) throws IOException {
        Path tmp = Files.createTempFile(root.resolve("tmp"), "upload-", ".part");
        try {
            MessageDigest sha256 = sha256();
            long bytes;
            try (CountingOutputStream counting = new CountingOutputStream(
                    new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16), sha256))) {
                content.writeTo(counting);
                counting.flush();
                bytes = counting.count;
            }
            String hex = HexFormat.of().formatHex(sha256.digest());
            Path target = file(ArtifactStore.idOf(hex));
            Files.createDirectories(target.getParent());
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                if (!Files.exists(target)) {
                    throw e;
                }
            }
            return new Stored(ArtifactStore.idOf(hex), bytes, hex);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public Stored putFile(Path file, String sha256) throws IOException {
        if (!HEX.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a SHA-256: '" + sha256 + "'");
        }
        long bytes = Files.size(file);
        Path target = file(ArtifactStore.idOf(sha256));
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
        return new Stored(ArtifactStore.idOf(sha256), bytes, sha256);
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
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not an artifact id: '" + id + "'");
        }
        String hex = id.substring(PREFIX.length());
        return root.resolve("sha256").resolve(hex.substring(0, 2)).resolve(hex);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }

    private static final class CountingOutputStream extends java.io.FilterOutputStream {
        private long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
