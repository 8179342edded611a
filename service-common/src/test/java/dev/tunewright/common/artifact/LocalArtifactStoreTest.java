package dev.tunewright.common.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @Test
    void putFileRefusesWhatIsNotAHash(@TempDir Path dir) throws IOException {
        LocalArtifactStore store = new LocalArtifactStore(dir.resolve("store"));
        Path upload = Files.writeString(dir.resolve("upload"), "x");
        assertThatThrownBy(() -> store.putFile(upload, "../../etc")).isInstanceOf(IllegalArgumentException.class);
        assertThat(upload).exists();
    }

    /** What a crash left in the staging area goes; what another service is still writing (recently touched) stays. */
    @Test
    void removesOnlyStagingFilesNobodyWroteToForTheGivenTime(@TempDir Path dir) throws IOException {
        LocalArtifactStore store = new LocalArtifactStore(dir.resolve("store"));
        Path abandoned = store.stagingFile();
        Path alsoAbandoned = store.stagingFile();
        Path inProgress = store.stagingFile();
        Path notStaging = Files.writeString(dir.resolve("store/tmp/notes.txt"), "kept");
        FileTime hourAgo = FileTime.from(Instant.now().minus(Duration.ofHours(1)));
        for (Path old : new Path[] {abandoned, alsoAbandoned, notStaging}) {
            Files.setLastModifiedTime(old, hourAgo);
        }

        assertThat(store.removeStaleStaging(Duration.ofMinutes(15))).isEqualTo(2);

        assertThat(abandoned).doesNotExist();
        assertThat(alsoAbandoned).doesNotExist();
        assertThat(inProgress).exists();
        assertThat(notStaging).exists();
        assertThat(store.removeStaleStaging(Duration.ofMinutes(15))).isZero();
    }
}
