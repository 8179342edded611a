package dev.tunewright.engine.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Checkpoint folders that are either whole or ignored. Files are written and fsynced in a hidden temp
 * folder, {@code manifest.json} (SHA-256 and size per file) last, and the folder is renamed into place in
 * one atomic move: a crash leaves at most a temp folder, never a half checkpoint under a real name. Disks
 * and copies still tear files after the fact, so reading verifies every hash and falls back to the
 * newest checkpoint that passes.
 */
public final class Checkpoints {

    public static final String MANIFEST = "manifest.json";
    static final String PREFIX = "checkpoint-";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Writes a checkpoint's files into the folder it is given. */
    @FunctionalInterface
    public interface Contents {
        void writeTo(Path dir) throws IOException;
    }

    private Checkpoints() {}

    public static Path pathFor(Path root, int step) {
        return root.resolve(String.format("%s%08d", PREFIX, step));
    }

    /** Writes the checkpoint of {@code step} and moves it into place, replacing an older one of the same step. */
    public static Path write(Path root, int step, Contents contents) throws IOException {
        return writeAtomically(pathFor(root, step), contents);
    }

    /** Writes {@code contents} with a manifest into a temp sibling of {@code target}, then renames it into place. */
    public static Path writeAtomically(Path target, Contents contents) throws IOException {
        Path root = target.toAbsolutePath().getParent();
        Files.createDirectories(root);
        String name = target.getFileName().toString();
        Path temp = Files.createTempDirectory(root, ".tmp-" + name + "-");
        try {
            contents.writeTo(temp);
            ObjectNode manifest = JSON.createObjectNode();
            ObjectNode files = manifest.putObject("files");
            try (Stream<Path> list = Files.list(temp)) {
                for (Path f : list.sorted().toList()) {
                    fsync(f);
                    files.putObject(f.getFileName().toString()).put("sha256", sha256(f)).put("bytes", Files.size(f));
                }
            }
            Path manifestFile = temp.resolve(MANIFEST);
            JSON.writerWithDefaultPrettyPrinter().writeValue(manifestFile.toFile(), manifest);
            fsync(manifestFile);
            fsync(temp);
            Path old = null;
            if (Files.exists(target)) {
                old = root.resolve(".tmp-" + name + "-replaced-" + System.nanoTime());
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            moveAtomically(temp, target);
            fsync(root);
            if (old != null) {
                deleteTree(old);
            }
            return target;
        } finally {
            if (Files.exists(temp)) {
                deleteTree(temp);
            }
        }
    }

    /**
     * The newest checkpoint under {@code root} whose files all match its manifest; each one skipped is
     * reported to {@code skipped} with the reason.
     */
    public static Optional<Path> latestValid(Path root, Consumer<String> skipped) throws IOException {
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        List<Path> candidates;
        try (Stream<Path> list = Files.list(root)) {
            candidates = list.filter(p -> p.getFileName().toString().matches(PREFIX + "\\d+") && Files.isDirectory(p))
                    .sorted(Comparator.comparing((Path p) -> stepOf(p)).reversed()).toList();
        }
        for (Path c : candidates) {
            Optional<String> problem = problem(c);
            if (problem.isEmpty()) {
                return Optional.of(c);
            }
            skipped.accept(c.getFileName() + ": " + problem.get());
        }
        return Optional.empty();
    }

    /**
     * Deletes all but the newest {@code keep} checkpoints under {@code root} (HF's save_total_limit), never
     * {@code protect} (the newest intact one a resume would use, which must survive a torn newer one).
     *
     * @return the checkpoints deleted, oldest first
     */
    public static List<Path> prune(Path root, int keep, Path protect) throws IOException {
        if (keep <= 0 || !Files.isDirectory(root)) {
            return List.of();
        }
        List<Path> all;
        try (Stream<Path> list = Files.list(root)) {
            all = list.filter(p -> p.getFileName().toString().matches(PREFIX + "\\d+") && Files.isDirectory(p))
                    .sorted(Comparator.comparing(Checkpoints::stepOf)).toList();
        }
        List<Path> deleted = new java.util.ArrayList<>();
        for (Path c : all.subList(0, Math.max(0, all.size() - keep))) {
            if (protect == null || !c.toAbsolutePath().normalize().equals(protect.toAbsolutePath().normalize())) {
                deleteTree(c);
                deleted.add(c);
            }
        }
        return deleted;
    }

    /** What is wrong with a checkpoint folder, or empty when every file matches the manifest. */
    public static Optional<String> problem(Path checkpoint) {
        try {
            Path manifestFile = checkpoint.resolve(MANIFEST);
            if (!Files.isRegularFile(manifestFile)) {
                return Optional.of("no " + MANIFEST);
            }
            JsonNode files = JSON.readTree(manifestFile.toFile()).path("files");
            if (!files.isObject() || files.isEmpty()) {
                return Optional.of(MANIFEST + " lists no files");
            }
            List<String> names = new ArrayList<>();
            files.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                Path f = checkpoint.resolve(name);
                if (!Files.isRegularFile(f)) {
                    return Optional.of(name + " is missing");
                }
                if (Files.size(f) != files.get(name).path("bytes").asLong(-1)) {
                    return Optional.of(name + " has " + Files.size(f) + " bytes, the manifest says "
                            + files.get(name).path("bytes").asLong(-1));
                }
                if (!sha256(f).equals(files.get(name).path("sha256").asText())) {
                    return Optional.of(name + " does not match its SHA-256");
                }
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.of("unreadable: " + e.getMessage());
        }
    }

    /** The optimizer step a checkpoint folder was written at, from its name. */
    public static int stepOf(Path checkpoint) {
        return Integer.parseInt(checkpoint.getFileName().toString().substring(PREFIX.length()));
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + from + " to " + to + " atomically on this file system", e);
        }
    }

    /** Flushes a file, or a folder's entries (best effort: not every platform lets a folder be opened). */
    private static void fsync(Path path) {
        boolean dir = Files.isDirectory(path);
        try (FileChannel ch = FileChannel.open(path, dir ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
            ch.force(true);
        } catch (IOException e) {
            if (!dir) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
