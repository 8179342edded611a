package dev.tunewright.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link InfrastructureResource} with the service's artifact store in the {@link S3TestServer}'s bucket, under a
 * key prefix and a local scratch folder of this test class's own, both published for the test in the system
 * properties {@link #PREFIX} and {@link #SCRATCH}. Where the S3 server cannot start the store stays local; the test
 * should then skip with {@link S3TestServer#unavailableReason()}.
 */
public class S3InfrastructureResource extends InfrastructureResource {

    public static final String PREFIX = "tunewright.testing.s3.prefix";
    public static final String SCRATCH = "tunewright.testing.s3.scratch";

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        S3TestServer.get().ifPresent(server -> {
            String prefix = S3TestServer.uniquePrefix("service");
            try {
                String scratch = Files.createTempDirectory(Infrastructure.get().artifactsDir(), "s3-scratch-").toString();
                config.put("tunewright.artifacts.dir", scratch);
                System.setProperty(SCRATCH, scratch);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            config.putAll(server.artifactStoreConfig(prefix));
            System.setProperty(PREFIX, prefix);
        });
        return config;
    }
}
