package dev.tunewright.common.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalArtifactStoreTest {

    @Test
    void putFileMovesAHashedFileIntoPlaceUnderItsHash(@TempDir Path dir) throws Exception {
        LocalArtifactStore store = new LocalArtifactStore(dir.resolve("store"));
        byte[] content = "{\"prompt\":\"a\",\"completion\":\"b\"}\n".getBytes(StandardCharsets.UTF_8);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        Path upload = Files.write(dir.resolve("upload"), content);

        ArtifactStore.Stored stored = store.putFile(upload, sha256);

        assertThat(stored).isEqualTo(store.put(out -> out.write(content)));
        assertThat(stored.bytes()).isEqualTo(content.length);
        assertThat(upload).doesNotExist();
        try (InputStream in = store.open(stored.id())) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
        Path again = Files.write(dir.resolve("again"), content);
        assertThat(store.putFile(again, sha256)).isEqualTo(stored);
        try (var files = Files.walk(dir.resolve("store/tmp"))) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void putFileRefusesWhatIsNotAHash(@TempDir Path dir) throws IOException {
        LocalArtifactStore store = new LocalArtifactStore(dir.resolve("store"));
        Path upload = Files.writeString(dir.resolve("upload"), "x");
        assertThatThrownBy(() -> store.putFile(upload, "../../etc")).isInstanceOf(IllegalArgumentException.class);
        assertThat(upload).exists();
    }
}
