package dev.tunewright.common.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Tuning of {@link OutboxRelay}; the defaults suit every service. */
@ConfigMapping(prefix = "tunewright.outbox")
public interface OutboxConfig {

    /**
     * Period of the safety sweep that publishes rows left behind by a crash, a Kafka outage or another instance.
     * Committed rows are normally published right after their commit, without waiting for the sweep. The Quarkus
     * scheduler checks triggers once a second, so values under 1s behave like 1s.
     */
    @WithDefault("1s")
    String sweepInterval();

    /** Rows published per relay transaction. */
    @WithDefault("200")
    int batchSize();

    /** How long one send may take before the relay gives up and retries on the next sweep. */
    @WithDefault("10s")
    Duration sendTimeout();
}
