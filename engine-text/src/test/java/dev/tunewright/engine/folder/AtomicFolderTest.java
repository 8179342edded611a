package dev.tunewright.engine.folder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A folder written through {@link AtomicFolder} is the old one or the new one, whole, and nothing else is left. */
class AtomicFolderTest {

    @TempDir
    Path dir;

    @Test
    void replacesAnOlderFolderWhole() throws IOException {
        Path target = dir.resolve("adapter");
        AtomicFolder.write(target, d -> {
            Files.writeString(d.resolve("a.txt"), "old");
            Files.writeString(d.resolve("stale.txt"), "old");
        });
        AtomicFolder.write(target, d -> {
            Files.createDirectories(d.resolve("sub"));
            Files.writeString(d.resolve("sub/b.txt"), "new");
            Files.writeString(d.resolve("a.txt"), "new");
        });
        assertThat(Files.readString(target.resolve("a.txt"))).isEqualTo("new");
        assertThat(Files.readString(target.resolve("sub/b.txt"))).isEqualTo("new");
        assertThat(target.resolve("stale.txt")).doesNotExist();
        assertThat(entries()).containsExactly("adapter");
    }

    @Test
    void aFailedWriteLeavesTheOldFolderAndNoTemporaryOne() throws IOException {
        Path target = dir.resolve("checkpoint-00000002");
        AtomicFolder.write(target, d -> Files.writeString(d.resolve("a.txt"), "old"));
        assertThatThrownBy(() -> AtomicFolder.write(target, d -> {
            Files.writeString(d.resolve("a.txt"), "half");
            throw new IOException("disk full");
        })).hasMessage("disk full");
        assertThat(Files.readString(target.resolve("a.txt"))).isEqualTo("old");
        assertThat(entries()).containsExactly("checkpoint-00000002");

        Path fresh = dir.resolve("merged");
        assertThatThrownBy(() -> AtomicFolder.write(fresh, d -> {
            throw new IOException("no space");
        })).hasMessage("no space");
        assertThat(entries()).containsExactly("checkpoint-00000002");
    }

    @Test
    void aFileInTheWayIsRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("adapter"), "not a folder");
        assertThatThrownBy(() -> AtomicFolder.write(file, d -> { }))
                .isInstanceOf(IOException.class).hasMessageContaining("exists and is not a directory");
        assertThat(Files.readString(file)).isEqualTo("not a folder");
    }

    private java.util.List<String> entries() throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
