package dev.tunewright.dataset.service;

import dev.tunewright.common.artifact.ArtifactStore;
import dev.tunewright.dataset.config.DatasetConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import org.jboss.logging.Logger;

/**
 * Removes what failures leave behind, at start-up and then periodically: staging files that a crash or a kill left
 * half-written, and artifacts this service stored that nothing points at after the grace period (a publication that
 * was rolled back and could not be released, a process killed between publishing and recording). Every removal is
 * counted in the log and in the {@value #METRIC} counter ({@code kind} = {@code staging} or {@code artifact}).
 */
@ApplicationScoped
public class ArtifactCollector {

    public static final String METRIC = "tunewright.artifacts.collected";
    private static final String DESCRIPTION = "Staging files and artifacts removed because nothing wrote to or pointed"
            + " at them any more";
    private static final Logger LOG = Logger.getLogger(ArtifactCollector.class);

    private final ArtifactStore artifacts;
    private final OwnArtifacts own;
    private final DatasetConfig config;
    private final Counter staging;
    private final Counter collected;
    /** Periodic collections wait for the one at start-up, which must see what the last run left behind. */
    private volatile boolean startedUp;

    public ArtifactCollector(ArtifactStore artifacts, OwnArtifacts own, DatasetConfig config, MeterRegistry registry) {
        this.artifacts = artifacts;
        this.own = own;
        this.config = config;
        this.staging = Counter.builder(METRIC).tag("kind", "staging").description(DESCRIPTION).register(registry);
        this.collected = Counter.builder(METRIC).tag("kind", "artifact").description(DESCRIPTION).register(registry);
    }

    void atStartup(@Observes StartupEvent started) {
        collect("at start-up");
        startedUp = true;
    }

    @Scheduled(every = "${tunewright.dataset.collect-every:10m}", delayed = "${tunewright.dataset.collect-every:10m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void periodically() {
        if (startedUp) {
            collect("periodic");
        }
    }

    private void collect(String when) {
        try {
            int stale = artifacts.removeStaleStaging(config.stagingGrace());
            OwnArtifacts.Collected orphans = own.collect(config.orphanGrace());
            staging.increment(stale);
            collected.increment(orphans.deleted());
            if (stale > 0 || orphans.deleted() > 0) {
                LOG.infof("collection (%s): removed %d stale staging file(s) idle for over %s and %d artifact(s) nothing"
                        + " pointed at for over %s", when, stale, config.stagingGrace(), orphans.deleted(),
                        config.orphanGrace());
            }
        } catch (IOException | RuntimeException e) {
            LOG.warnf(e, "collection (%s) failed; it runs again in %s", when, config.collectEvery());
        }
    }
}
