package dev.tunewright.dataset.service;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The threads on which {@link StagingWriter}s write and hash artifacts while the thread that produces the bytes goes
 * on producing: an upload being validated, splits being cut. A singleton rather than application-scoped, so that no
 * client proxy owns a pool of its own.
 */
@Singleton
public class StagingThreads {

    private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "artifact-staging");
        thread.setDaemon(true);
        return thread;
    });

    /** A writer into {@code file}, an empty file the caller created (see {@code ArtifactStore.stagingFile}). */
    StagingWriter writer(Path file) {
        return new StagingWriter(file, threads);
    }

    @PreDestroy
    void stop() {
        threads.shutdownNow();
    }
}
