package dev.tunewright.common.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactFolderTest {

    @TempDir
    Path dir;

    @Test
    void aFolderRoundTripsWithAnIdThatDependsOnItsFilesOnly() throws IOException {
        LocalArtifactStore store = new LocalArtifactStore(dir.resolve("store"));
        Path adapter = adapter(dir.resolve("adapter"));

        ArtifactStore.Stored stored = ArtifactFolder.put(store, adapter);
        ArtifactFolder folder = ArtifactFolder.read(store, stored.id());
        assertThat(folder.files()).containsOnlyKeys("adapter_config.json", "adapter_model.safetensors", "sub/notes.txt");
        assertThat(folder.bytes()).isEqualTo(2 + 4 + 5);

        Path copy = dir.resolve("copy");
        folder.copyTo(store, copy);
        assertThat(Files.readString(copy.resolve("adapter_config.json"))).isEqualTo("{}");
        assertThat(Files.readString(copy.resolve("sub/notes.txt"))).isEqualTo("hello");

        Path same = adapter(dir.resolve("same"));
        assertThat(ArtifactFolder.put(store, same)).isEqualTo(stored);
        Files.writeString(same.resolve("sub/notes.txt"), "hellO");
        assertThat(ArtifactFolder.put(store, same).id()).isNotEqualTo(stored.id());
    }

    @Test
    void theZipHoldsEveryFileInNameOrder() throws IOException {
        LocalArtifactStore store = new LocalArtifactStore(dir.resolve("store"));
        ArtifactFolder folder = ArtifactFolder.read(store, ArtifactFolder.put(store, adapter(dir.resolve("adapter"))).id());
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        folder.writeZip(store, zip);
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip.toByteArray()))) {
            StringBuilder names = new StringBuilder();
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                names.append(entry.getName()).append('=').append(new String(in.readAllBytes())).append(';');
            }
            assertThat(names.toString()).isEqualTo("adapter_config.json={};adapter_model.safetensors=ABCD;sub/notes.txt=hello;");
        }
    }

    @Test
    void aDamagedFileFailsTheCopyAndLeavesNothingBehind() throws IOException {
        LocalArtifactStore store = new LocalArtifactStore(dir.resolve("store"));
        ArtifactFolder folder = ArtifactFolder.read(store, ArtifactFolder.put(store, adapter(dir.resolve("adapter"))).id());
        Path weights = store.localPath(folder.files().get("adapter_model.safetensors").id());
        try (RandomAccessFile file = new RandomAccessFile(weights.toFile(), "rw")) {
            file.write('X');
        }
        Path copy = dir.resolve("copy");
        assertThatThrownBy(() -> folder.copyTo(store, copy)).isInstanceOf(IOException.class)
                .hasMessageContaining("adapter_model.safetensors").hasMessageContaining("does not match its manifest");
        assertThat(copy).doesNotExist();
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(name -> name.startsWith(".tmp-"));
        }
        assertThatThrownBy(() -> folder.writeZip(store, OutputStream.nullOutputStream())).isInstanceOf(IOException.class);
    }

    @Test
    void aPlainFileOrAnEscapingNameIsNotAFolder() throws IOException {
        LocalArtifactStore store = new LocalArtifactStore(dir.resolve("store"));
        ArtifactStore.Stored plain = store.put(out -> out.write("{\"a\":1}".getBytes()));
        assertThatThrownBy(() -> ArtifactFolder.read(store, plain.id())).isInstanceOf(IOException.class)
                .hasMessageContaining("not a folder manifest");
        ArtifactStore.Stored file = store.put(out -> out.write(1));
        for (String name : new String[] {"../x", "a/../../x", "/etc/passwd", "a\\b", "a/./b", ""}) {
            assertThatThrownBy(() -> new ArtifactFolder(Map.of(name, file))).as(name)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static Path adapter(Path root) throws IOException {
        Files.createDirectories(root.resolve("sub"));
        Files.writeString(root.resolve("adapter_config.json"), "{}");
        Files.writeString(root.resolve("adapter_model.safetensors"), "ABCD");
        Files.writeString(root.resolve("sub/notes.txt"), "hello");
        return root;
    }
}
