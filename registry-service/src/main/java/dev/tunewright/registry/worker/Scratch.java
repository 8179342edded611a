package dev.tunewright.registry.worker;

import dev.tunewright.registry.config.RegistryConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Temporary folders of the registry's work items, deleted with everything in them when the item is done. */
@ApplicationScoped
public class Scratch {

    private final Path root;

    public Scratch(RegistryConfig config) {
        this.root = Path.of(config.workDir().orElse(System.getProperty("java.io.tmpdir"))).toAbsolutePath();
    }

    /** A folder of its own; close it to delete it. */
    public Folder create(String prefix) throws IOException {
        Files.createDirectories(root);
        return new Folder(Files.createTempDirectory(root, prefix));
    }

    /** A temporary folder that deletes itself. */
    public record Folder(Path path) implements AutoCloseable {

        /** {@code message} with this folder's path taken out, for errors shown to users. */
        public String relative(String message) {
            return String.valueOf(message).replace(path + "/", "");
        }

        @Override
        public void close() {
            try (Stream<Path> walk = Files.walk(path)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + path + ": " + e.getMessage(), e);
            }
        }
    }
}
