package dev.tunewright.engine.lora;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Fills a folder next to the target and renames it into place, so a reader (vLLM polling a checkpoint
 * directory, a crash mid-save) sees either the old complete folder or the new complete one, never a
 * config without its weights.
 */
final class AtomicFolder {

    /** Writes the folder's files into the given (empty, temporary) directory. */
    @FunctionalInterface
    interface Filler {
        void fill(Path tmp) throws IOException;
    }

    private AtomicFolder() {}

    static void write(Path target, Filler filler) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        Files.createDirectories(parent);
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new IOException(abs + ": exists and is not a directory");
        }
        Path tmp = Files.createTempDirectory(parent, "." + abs.getFileName() + ".tmp-");
        Path old = null;
        try {
            filler.fill(tmp);
            if (Files.exists(abs)) {
                // a directory cannot be atomically replaced; move the old one aside for the instant of the swap
                old = Files.createTempDirectory(parent, "." + abs.getFileName() + ".old-");
                Files.delete(old);
                Files.move(abs, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
        } finally {
            if (tmp != null) {
                deleteTree(tmp);
                if (old != null && !Files.exists(abs)) {
                    Files.move(old, abs, StandardCopyOption.ATOMIC_MOVE);
                    old = null;
                }
            }
            if (old != null) {
                deleteTree(old);
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
