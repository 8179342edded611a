package dev.tunewright.trainer.it;

import dev.tunewright.testing.InfrastructureResource;
import java.util.HashMap;
import java.util.Map;

/**
 * The packaged trainer on the shared test Kafka and PostgreSQL, allowed to train on the tiny model folder the tests
 * write ({@link TrainerFixtures}), with short leases and quick polls so the tests need not wait on production
 * timings, and one libtorch thread (tiny models only lose from more on a shared 2-core machine).
 */
public class TrainerTestResource extends InfrastructureResource {

    /** Kafka's max.poll.interval.ms for the trigger consumer here: far below the 5 minutes of production. */
    public static final int MAX_POLL_INTERVAL_MS = 3000;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        config.put("tunewright.models.dir", TrainerFixtures.get().modelsDir().toString());
        config.put("tunewright.trainer.worker.torch-threads", "1");
        config.put("tunewright.trainer.worker.lease-time", "10s");
        config.put("tunewright.trainer.worker.heartbeat-every", "2s");
        config.put("tunewright.trainer.worker.poll-every", "500ms");
        config.put("tunewright.trainer.worker.progress-every", "200ms");
        config.put("tunewright.trainer.worker.work-dir", TrainerFixtures.get().root().resolve("runs").toString());
        // no dataset service runs beside these tests: a dataset id the trainer has not seen answers 503, not 404
        config.put("tunewright.trainer.dataset-service-url", "http://127.0.0.1:9");
        config.put("tunewright.trainer.dataset-service-timeout", "2s");
        config.put("tunewright.trainer.metrics-refresh", "1s");
        // a cancel or pause is read after every step, so a test can see it take effect at the next step boundary
        config.put("tunewright.trainer.worker.stop-check-every", "0ms");
        // the trigger consumer's group would rebalance if a poll waited longer than this: jobs here run longer
        config.put("mp.messaging.incoming.job-triggers.max.poll.interval.ms", String.valueOf(MAX_POLL_INTERVAL_MS));
        config.put("mp.messaging.incoming.job-triggers.session.timeout.ms", "6000");
        return config;
    }
}
