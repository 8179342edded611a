package dev.tunewright.engine.folder;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The one way a folder (an adapter, a checkpoint, a merged model) is written: its files go into a hidden temporary
 * sibling, every file and the folder itself are fsynced, and the folder is renamed into place in one atomic move
 * (an older folder of the same name is moved aside for the instant of the swap and put back if the swap fails). A
 * reader (vLLM polling a checkpoint directory, a resume after a crash mid-save) sees either the old complete folder
 * or the new complete one, never a config without its weights; a crash leaves at most a hidden temporary folder.
 */
public final class AtomicFolder {

    /** Writes the folder's files into the (empty, temporary) directory it is given. */
    @FunctionalInterface
    public interface Contents {
        void writeTo(Path dir) throws IOException;
    }

    private AtomicFolder() {}

    /** Writes {@code contents} and moves the folder into place at {@code target}, replacing what was there. */
    public static Path write(Path target, Contents contents) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        Files.createDirectories(parent);
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new IOException(abs + ": exists and is not a directory");
        }
        String name = abs.getFileName().toString();
        Path temp = Files.createTempDirectory(parent, "." + name + ".tmp-");
        Path old = null;
        try {
            contents.writeTo(temp);
            try (Stream<Path> files = Files.walk(temp)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    fsync(f);
                }
            }
            if (Files.exists(abs)) {
                old = parent.resolve("." + name + ".old-" + System.nanoTime());
                move(abs, old);
            }
            move(temp, abs);
            temp = null;
            fsync(parent);
        } finally {
            if (temp != null) {
                deleteTree(temp);
                if (old != null && !Files.exists(abs)) {
                    move(old, abs);
                    old = null;
                }
            }
            if (old != null) {
                deleteTree(old);
            }
        }
        return target;
    }

    /** Deletes {@code dir} and everything in it; nothing when it does not exist. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> all = walk.sorted(Comparator.reverseOrder()).toList();
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + from + " to " + to + " atomically on this file system", e);
        }
    }

    /** Flushes a file, or a folder's entries (best effort: not every platform lets a folder be opened). */
    private static void fsync(Path path) throws IOException {
        boolean dir = Files.isDirectory(path);
        try (FileChannel ch = FileChannel.open(path, dir ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
            ch.force(true);
        } catch (IOException e) {
            if (!dir) {
                throw e;
            }
        }
    }
}
