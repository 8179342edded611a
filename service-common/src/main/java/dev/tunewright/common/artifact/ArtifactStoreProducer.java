package dev.tunewright.common.artifact;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The artifact store the service writes to: the local folder named by {@code tunewright.artifacts.dir}. */
public class ArtifactStoreProducer {

    @Produces
    @ApplicationScoped
    ArtifactStore artifactStore(@ConfigProperty(name = "tunewright.artifacts.dir") String dir) {
        try {
            return new LocalArtifactStore(Path.of(dir));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use artifact folder " + dir + ": " + e.getMessage(), e);
        }
    }
}
