package dev.tunewright.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Points a {@code @QuarkusTest} at the shared test infrastructure:
 * {@code @QuarkusTestResource(InfrastructureResource.class)}. Stopping is left to the JVM's exit, so the next
 * test class reuses the same broker and database.
 */
public class InfrastructureResource implements QuarkusTestResourceLifecycleManager {

    /** The secret services sign and check identity headers with in tests; tests that forge headers use it too. */
    public static final String IDENTITY_SECRET = "tunewright-test-identity-secret-not-for-production";

    @Override
    public Map<String, String> start() {
        Infrastructure infrastructure = Infrastructure.get();
        return Map.of(
                "quarkus.datasource.jdbc.url", infrastructure.jdbcUrl(),
                "quarkus.datasource.username", infrastructure.username(),
                "quarkus.datasource.password", infrastructure.password(),
                "kafka.bootstrap.servers", infrastructure.bootstrapServers(),
                "tunewright.identity.secret", IDENTITY_SECRET,
                "tunewright.artifacts.dir", infrastructure.artifactsDir().toString());
    }

    @Override
    public void stop() {
        // The shared infrastructure outlives this test class; a JVM shutdown hook stops it.
    }
}
