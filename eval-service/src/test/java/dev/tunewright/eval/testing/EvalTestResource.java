package dev.tunewright.eval.testing;

import dev.tunewright.testing.InfrastructureResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The real Kafka and PostgreSQL of {@link InfrastructureResource}, plus what the evaluation service needs in tests:
 * an installed-models folder the tests fill ({@link TinyJobs}), its own adapter cache, one PyTorch thread (tiny
 * models on a shared 2-core machine), and short worker timings so a crashed worker's lease expires in seconds.
 */
public class EvalTestResource extends InfrastructureResource {

    static final String MODELS_DIR = "tunewright.test.eval.models-dir";

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        config.put("tunewright.models.dir", modelsDir().toString());
        config.put("tunewright.eval.models.cache-dir", modelsDir().resolveSibling("eval-cache").toString());
        config.put("tunewright.eval.models.torch-threads", "1");
        config.put("tunewright.eval.worker.poll-every", "1s");
        config.put("tunewright.eval.worker.lease-time", "8s");
        config.put("tunewright.eval.worker.heartbeat-every", "2s");
        config.put("tunewright.eval.worker.retry-delay", "2s");
        config.put("tunewright.eval.bootstrap-resamples", "1000");
        return config;
    }

    /** One folder per test JVM, shared by every class loader through a system property. */
    public static Path modelsDir() {
        synchronized (MODELS_DIR.intern()) {
            String existing = System.getProperty(MODELS_DIR);
            if (existing != null) {
                return Path.of(existing);
            }
            try {
                Path dir = Files.createTempDirectory("tunewright-eval-it-").resolve("models");
                Files.createDirectories(dir);
                System.setProperty(MODELS_DIR, dir.toString());
                return dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
