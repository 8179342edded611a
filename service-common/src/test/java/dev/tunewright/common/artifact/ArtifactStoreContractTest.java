package dev.tunewright.common.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link ArtifactStore} promises, run against each implementation by a subclass: content addressing
 * by SHA-256, streamed writes of any size, nothing visible after a failed write, staged files published under the
 * hash their writer computed, local paths for random access, and {@link ArtifactFolder} on top.
 */
abstract class ArtifactStoreContractTest {

    /** Larger than the S3 store's part size in its test, so that it goes up as a multipart upload. */
    static final int LARGE = 13 * (1 << 20) + 12_345;

    @TempDir
    Path scratch;
    ArtifactStore store;

    /** A new, empty store whose local files (if any) live under {@code dir}. */
    abstract ArtifactStore newStore(Path dir) throws IOException;

    @BeforeEach
    void openStore() throws IOException {
        store = newStore(scratch.resolve("store"));
    }

    @AfterEach
    void closeStore() throws IOException {
        if (store instanceof Closeable closeable) {
            closeable.close();
        }
    }

    @Test
    void contentIsStoredAndReadBackUnderItsSha256() throws Exception {
        byte[] content = "{\"prompt\":\"a\",\"completion\":\"b\"}\n".getBytes(StandardCharsets.UTF_8);
        ArtifactStore.Stored stored = store.put(out -> out.write(content));

        String sha256 = sha256(content);
        assertThat(stored).isEqualTo(new ArtifactStore.Stored("sha256-" + sha256, content.length, sha256));
        assertThat(store.exists(stored.id())).isTrue();
        assertThat(read(stored.id())).isEqualTo(content);
        assertThat(store.put(out -> out.write(content))).as("the same bytes, the same artifact").isEqualTo(stored);
        assertThat(store.put(out -> { })).extracting(ArtifactStore.Stored::bytes).isEqualTo(0L);
    }

    @Test
    void largeContentStreamsInAndOut() throws Exception {
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        ArtifactStore.Stored stored = store.put(out -> writeLarge(out, expected));
        String sha256 = HexFormat.of().formatHex(expected.digest());

        assertThat(stored.sha256()).isEqualTo(sha256);
        assertThat(stored.bytes()).isEqualTo(LARGE);
        MessageDigest read = MessageDigest.getInstance("SHA-256");
        try (InputStream in = store.open(stored.id())) {
            byte[] buffer = new byte[1 << 16];
            long total = 0;
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                read.update(buffer, 0, n);
                total += n;
            }
            assertThat(total).isEqualTo(LARGE);
        }
        assertThat(HexFormat.of().formatHex(read.digest())).isEqualTo(sha256);
        assertThat(Files.size(store.localPath(stored.id()))).isEqualTo(LARGE);
    }

    @Test
    void aFailedWriteLeavesNothingBehind() throws Exception {
        byte[] half = new byte[1 << 20];
        assertThatThrownBy(() -> store.put(out -> {
            out.write(half);
            throw new IOException("producer failed");
        })).isInstanceOf(IOException.class).hasMessage("producer failed");

        assertThat(store.exists("sha256-" + sha256(half))).isFalse();
        Path probe = store.stagingFile();
        try (var staged = Files.list(probe.getParent())) {
            assertThat(staged.filter(path -> !path.equals(probe))).as("staging files left").isEmpty();
        } finally {
            Files.delete(probe);
        }
    }

    @Test
    void aStagedFileIsPublishedUnderTheHashItsWriterComputed() throws Exception {
        byte[] content = "staged while it arrived\n".getBytes(StandardCharsets.UTF_8);
        Path staged = store.stagingFile();
        assertThat(staged.getFileSystem()).isEqualTo(FileSystems.getDefault());
        assertThat(Files.size(staged)).isZero();
        Files.write(staged, content);

        ArtifactStore.Stored stored = store.putFile(staged, sha256(content));
        Files.deleteIfExists(staged);

        assertThat(stored).isEqualTo(store.put(out -> out.write(content)));
        assertThat(read(stored.id())).isEqualTo(content);
    }

    @Test
    void putFileRefusesWhatIsNotAHash() throws IOException {
        Path upload = Files.writeString(scratch.resolve("upload"), "x");
        assertThatThrownBy(() -> store.putFile(upload, "../../etc")).isInstanceOf(IllegalArgumentException.class);
        assertThat(upload).exists();
    }

    @Test
    void unknownIdsAreNotFoundAndMalformedOnesRefused() {
        String unknown = "sha256-" + "0".repeat(64);
        assertThat(store.exists(unknown)).isFalse();
        assertThatThrownBy(() -> store.open(unknown)).isInstanceOf(FileNotFoundException.class).hasMessageContaining(unknown);
        assertThatThrownBy(() -> store.localPath(unknown)).isInstanceOf(FileNotFoundException.class);
        for (String bad : new String[] {"../../etc/passwd", "sha256-ABC", "sha256-" + "0".repeat(63) + "/"}) {
            assertThatThrownBy(() -> store.open(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.exists(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aLocalPathHoldsTheContentForRandomAccess() throws Exception {
        byte[] content = "random access\n".getBytes(StandardCharsets.UTF_8);
        ArtifactStore.Stored stored = store.put(out -> out.write(content));
        Path local = store.localPath(stored.id());
        assertThat(local.getFileSystem()).isEqualTo(FileSystems.getDefault());
        assertThat(Files.readAllBytes(local)).isEqualTo(content);
        assertThat(store.localPath(stored.id())).isEqualTo(local);
    }

    @Test
    void aDeletedArtifactIsGone() throws Exception {
        ArtifactStore.Stored stored = store.put(out -> out.write("short-lived".getBytes(StandardCharsets.UTF_8)));
        store.localPath(stored.id());
        store.delete(stored.id());
        assertThat(store.exists(stored.id())).isFalse();
        assertThatThrownBy(() -> store.open(stored.id())).isInstanceOf(FileNotFoundException.class);
        assertThatThrownBy(() -> store.localPath(stored.id())).isInstanceOf(FileNotFoundException.class);
        store.delete(stored.id());
    }

    @Test
    void aFolderRoundTripsOnTheStore() throws Exception {
        Path adapter = Files.createDirectories(scratch.resolve("adapter/sub"));
        Files.writeString(scratch.resolve("adapter/adapter_config.json"), "{}");
        Files.writeString(scratch.resolve("adapter/adapter_model.safetensors"), "ABCD");
        Files.writeString(adapter.resolve("notes.txt"), "hello");

        ArtifactStore.Stored manifest = ArtifactFolder.put(store, scratch.resolve("adapter"));
        ArtifactFolder folder = ArtifactFolder.read(store, manifest.id());
        assertThat(folder.files()).containsOnlyKeys("adapter_config.json", "adapter_model.safetensors", "sub/notes.txt");

        Path copy = scratch.resolve("copy");
        folder.copyTo(store, copy);
        assertThat(Files.readString(copy.resolve("sub/notes.txt"))).isEqualTo("hello");
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        folder.writeZip(store, zip);
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip.toByteArray()))) {
            StringBuilder names = new StringBuilder();
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                names.append(entry.getName()).append(';');
            }
            assertThat(names.toString()).isEqualTo("adapter_config.json;adapter_model.safetensors;sub/notes.txt;");
        }
    }

    byte[] read(String id) throws IOException {
        try (InputStream in = store.open(id)) {
            return in.readAllBytes();
        }
    }

    static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }

    /** {@link #LARGE} pseudo-random bytes in 64 KiB writes, never all in memory. */
    static void writeLarge(OutputStream out, MessageDigest digest) throws IOException {
        Random random = new Random(42);
        byte[] chunk = new byte[1 << 16];
        for (int left = LARGE; left > 0; left -= chunk.length) {
            random.nextBytes(chunk);
            int n = Math.min(left, chunk.length);
            out.write(chunk, 0, n);
            digest.update(chunk, 0, n);
        }
    }
}
