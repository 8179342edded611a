package dev.tunewright.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes through a temporary sibling and a rename, so a reader (another ftctl process, a crash mid-write)
 * sees either the old or the new content, never a truncated file.
 */
public final class AtomicFiles {

    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private AtomicFiles() {
    }

    public static void write(Path file, String content) throws IOException {
        write(file, content, null);
    }

    /** @param permissions applied before the rename, so the content is never visible with wider permissions */
    public static void write(Path file, String content, Set<PosixFilePermission> permissions) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
        try {
            if (permissions != null) {
                Files.setPosixFilePermissions(temp, permissions);
            }
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
