package dev.tunewright.dataset.rest;

import dev.tunewright.testing.Infrastructure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What the shared artifact store holds, for tests that prove a refused or failed request left nothing behind. */
final class StoreContents {

    private StoreContents() {
    }

    static Path root() {
        return Infrastructure.get().artifactsDir();
    }

    /** Published artifacts. */
    static long artifactCount() throws IOException {
        Path published = root().resolve("sha256");
        if (!Files.exists(published)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(published)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    /** Uploads and splits being received live in the store's tmp folder; none may stay behind. */
    static long stagedCount() throws IOException {
        try (Stream<Path> files = Files.list(root().resolve("tmp"))) {
            return files.count();
        }
    }

    static boolean exists(String artifactId) {
        String hex = artifactId.substring("sha256-".length());
        return Files.isRegularFile(root().resolve("sha256").resolve(hex.substring(0, 2)).resolve(hex));
    }
}
