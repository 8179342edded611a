package dev.tunewright.engine.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tunewright.engine.folder.AtomicFolder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Checkpoint folders that are either whole or ignored. They are written as every folder is
 * ({@link AtomicFolder}), with {@code manifest.json} (SHA-256 and size per file) last: a crash leaves at most a
 * temp folder, never a half checkpoint under a real name. Disks and copies still tear files after the fact, so
 * reading verifies every hash and falls back to the newest checkpoint that passes.
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

    /**
     * Writes {@code contents} and its manifest ({@code manifest.json}, written last) into a folder at {@code target},
     * atomically ({@link AtomicFolder}).
     */
    public static Path writeAtomically(Path target, Contents contents) throws IOException {
        return AtomicFolder.write(target, dir -> {
            contents.writeTo(dir);
            ObjectNode manifest = JSON.createObjectNode();
            ObjectNode files = manifest.putObject("files");
            try (Stream<Path> list = Files.list(dir)) {
                for (Path f : list.sorted().toList()) {
                    files.putObject(f.getFileName().toString()).put("sha256", sha256(f)).put("bytes", Files.size(f));
                }
            }
            JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(MANIFEST).toFile(), manifest);
        });
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
                AtomicFolder.deleteTree(c);
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
}
