package dev.tunewright.dataset.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagingWriterTest {

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() throws InterruptedException {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void everyByteIsWrittenInOrderAndHashed(@TempDir Path dir) throws Exception {
        Path staged = Files.createFile(dir.resolve("staged"));
        Random random = new Random(8);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        try (StagingWriter writer = new StagingWriter(staged, threads)) {
            for (int i = 0; i < 300; i++) {
                byte[] chunk = new byte[i % 50 == 0 ? 200_000 : random.nextInt(70_000)];
                random.nextBytes(chunk);
                int off = chunk.length / 3;
                writer.write(chunk, off, chunk.length - off);
                expected.write(chunk, off, chunk.length - off);
            }
            String sha256 = writer.finish();
            assertThat(writer.bytes()).isEqualTo(expected.size());
            assertThat(sha256).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(expected.toByteArray())));
        }
        assertThat(Files.readAllBytes(staged)).isEqualTo(expected.toByteArray());
    }

    @Test
    void aWriterThatCannotWriteFailsTheUpload(@TempDir Path dir) {
        StagingWriter writer = new StagingWriter(dir.resolve("missing").resolve("staged"), threads);
        assertThatThrownBy(() -> {
            for (int i = 0; i < 100; i++) {
                writer.write(new byte[1 << 16], 0, 1 << 16);
            }
            writer.finish();
        }).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void closingAnUnfinishedWriterStopsIt(@TempDir Path dir) throws IOException, InterruptedException {
        Path staged = Files.createFile(dir.resolve("staged"));
        StagingWriter writer = new StagingWriter(staged, threads);
        writer.write(new byte[1000], 0, 1000);
        writer.close();
        threads.shutdown();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).as("writer thread ended").isTrue();
    }
}
