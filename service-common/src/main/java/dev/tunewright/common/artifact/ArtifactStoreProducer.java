package dev.tunewright.common.artifact;

import io.quarkus.arc.ClientProxy;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The artifact store the service writes to, chosen by {@code tunewright.artifacts.store}: the local folder
 * {@code tunewright.artifacts.dir}, or the S3-compatible bucket of {@code tunewright.artifacts.s3.*}
 * (see {@link ArtifactStoreConfig}).
 */
public class ArtifactStoreProducer {

    @Produces
    @ApplicationScoped
    ArtifactStore artifactStore(ArtifactStoreConfig config) {
        Path dir = Path.of(config.dir());
        try {
            return switch (config.store()) {
                case LOCAL -> new LocalArtifactStore(dir);
                case S3 -> S3Connection.open(config.s3(), dir);
            };
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use artifact folder " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * With the S3 store the bucket is checked as the service starts, so a wrong endpoint, credential or bucket stops
     * it with a message naming the setting instead of failing the first upload; the local store stays lazy.
     */
    void checkAtStartup(@Observes StartupEvent event, ArtifactStoreConfig config, Instance<ArtifactStore> store) {
        if (config.store() == ArtifactStoreConfig.Kind.S3) {
            ClientProxy.unwrap(store.get());
        }
    }

    void close(@Disposes ArtifactStore store) throws IOException {
        if (store instanceof Closeable closeable) {
            closeable.close();
        }
    }
}
