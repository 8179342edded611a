package dev.tunewright.common.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LocalArtifactStoreTest extends ArtifactStoreContractTest {

    @Override
    ArtifactStore newStore(Path dir) throws IOException {
        return new LocalArtifactStore(dir);
    }

    @Test
    void putFileMovesAHashedFileIntoPlaceUnderItsHash() throws Exception {
        byte[] content = "{\"prompt\":\"a\",\"completion\":\"b\"}\n".getBytes(StandardCharsets.UTF_8);
        Path upload = Files.write(scratch.resolve("upload"), content);

        ArtifactStore.Stored stored = store.putFile(upload, sha256(content));

        assertThat(stored).isEqualTo(store.put(out -> out.write(content)));
        assertThat(upload).doesNotExist();
        assertThat(store.localPath(stored.id())).isEqualTo(scratch.resolve("store/sha256")
                .resolve(stored.sha256().substring(0, 2)).resolve(stored.sha256()));
        Path again = Files.write(scratch.resolve("again"), content);
        assertThat(store.putFile(again, sha256(content))).isEqualTo(stored);
        try (var files = Files.walk(scratch.resolve("store/tmp"))) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }
}
