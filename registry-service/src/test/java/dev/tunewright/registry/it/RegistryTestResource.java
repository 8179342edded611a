package dev.tunewright.registry.it;

import dev.tunewright.testing.Infrastructure;
import dev.tunewright.testing.InfrastructureResource;
import java.util.HashMap;
import java.util.Map;

/**
 * The shared Kafka and PostgreSQL, plus the registry's model policy: installed models in a folder the tests write
 * tiny models into, and one listed hub id. Passed as system properties to the packaged service the
 * {@code @QuarkusIntegrationTest}s start, so every test class talks to the same process.
 */
public class RegistryTestResource extends InfrastructureResource {

    /** The hub id the deployment lists in {@code GET /v1/models}. */
    public static final String LISTED_HUB_MODEL = "Qwen/Qwen2.5-0.5B-Instruct";

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        config.put("tunewright.models.dir", RegistryTesting.modelsDir().toString());
        config.put("tunewright.models.allowed", LISTED_HUB_MODEL);
        config.put("tunewright.registry.work-dir", Infrastructure.get().artifactsDir().resolveSibling("registry-work").toString());
        return config;
    }
}
