package dev.tunewright.registry.worker;

import dev.tunewright.common.queue.QueueWorker;
import dev.tunewright.common.queue.WorkQueue;
import dev.tunewright.registry.config.RegistryConfig;
import dev.tunewright.registry.readiness.ServingReadiness;
import dev.tunewright.registry.service.MergeService;
import dev.tunewright.registry.service.ReadinessService;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;

/**
 * The registry's workers on the shared work queue: readiness checks and merged exports, each kind on its own
 * {@link QueueWorker} so a long merge never delays a check. Started with the service, stopped at a safe point with it.
 */
@ApplicationScoped
public class RegistryWorkers {

    private final WorkQueue queue;
    private final ReadinessService readiness;
    private final MergeService merges;
    private final RegistryConfig config;
    private volatile QueueWorker readinessWorker;
    private volatile QueueWorker mergeWorker;

    public RegistryWorkers(WorkQueue queue, ReadinessService readiness, MergeService merges, RegistryConfig config) {
        this.queue = queue;
        this.readiness = readiness;
        this.merges = merges;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        if (!ServingReadiness.VLLM_MAX_LORA_RANKS.contains(config.maxLoraRank())) {
            throw new IllegalStateException("tunewright.registry.max-lora-rank is " + config.maxLoraRank()
                    + ", which vLLM does not accept as --max-lora-rank; use one of " + ServingReadiness.VLLM_MAX_LORA_RANKS);
        }
        RegistryConfig.Workers w = config.workers();
        readinessWorker = new QueueWorker(queue, settings(WorkKinds.READINESS, w.readinessConcurrency()),
                (lease, guard) -> readiness.run(lease));
        mergeWorker = new QueueWorker(queue, settings(WorkKinds.MERGE, w.mergeConcurrency()),
                (lease, guard) -> merges.run(lease));
        readinessWorker.start();
        mergeWorker.start();
    }

    void stop(@Observes ShutdownEvent event) {
        if (readinessWorker != null) {
            readinessWorker.shutdown(Duration.ofSeconds(10));
            mergeWorker.shutdown(Duration.ofSeconds(10));
        }
    }

    /** A readiness check was queued (a version registered). */
    public void wakeReadiness() {
        if (readinessWorker != null) {
            readinessWorker.wake();
        }
    }

    /** A merge was queued. */
    public void wakeMerge() {
        if (mergeWorker != null) {
            mergeWorker.wake();
        }
    }

    private QueueWorker.Settings settings(String kind, int concurrency) {
        RegistryConfig.Workers w = config.workers();
        String owner = "registry-" + kind + "@" + System.getenv().getOrDefault("HOSTNAME", "localhost") + "/"
                + ProcessHandle.current().pid();
        return new QueueWorker.Settings(kind, owner, concurrency, w.leaseTime(), w.heartbeatEvery(), w.pollEvery(),
                w.retryDelay());
    }
}
