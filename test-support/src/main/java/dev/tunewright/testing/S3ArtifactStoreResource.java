package dev.tunewright.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Puts a service's artifact store in the {@link S3TestServer}'s bucket, under a key prefix of this test class's own
 * (published for the test in the system property {@link #PREFIX}). Use it next to {@link InfrastructureResource},
 * restricted to the class that wants it, since a test resource applies to every test of the module otherwise:
 * {@code @QuarkusTestResource(value = S3ArtifactStoreResource.class, restrictToAnnotatedClass = true)}. It sets only
 * {@code tunewright.artifacts.store} and {@code tunewright.artifacts.s3.*}, so it never competes with another resource
 * for a key. Where the S3 server cannot start the store stays local; the test should then skip with
 * {@link S3TestServer#unavailableReason()}.
 */
public class S3ArtifactStoreResource implements QuarkusTestResourceLifecycleManager {

    public static final String PREFIX = "tunewright.testing.s3.prefix";

    @Override
    public Map<String, String> start() {
        return S3TestServer.get().map(server -> {
            String prefix = S3TestServer.uniquePrefix("service");
            System.setProperty(PREFIX, prefix);
            return server.artifactStoreConfig(prefix);
        }).orElse(Map.of());
    }

    @Override
    public void stop() {
        // The server outlives this test class; a JVM shutdown hook stops it.
    }
}
