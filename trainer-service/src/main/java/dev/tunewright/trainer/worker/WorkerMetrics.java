package dev.tunewright.trainer.worker;

import dev.tunewright.common.queue.WorkQueue;
import dev.tunewright.trainer.config.TrainerConfig;
import dev.tunewright.trainer.repository.JobRepository;
import dev.tunewright.trainer.service.JobService;
import dev.tunewright.trainer.service.JobStatus;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * What autoscaling and operators watch: jobs by status and the claimable queue depth (read from PostgreSQL every
 * few seconds, not per scrape), step time and tokens per second of the steps this worker trains, and its busy and
 * idle job slots.
 */
@Startup
@ApplicationScoped
public class WorkerMetrics {

    private static final Logger LOG = Logger.getLogger(WorkerMetrics.class);

    private final JobRepository jobs;
    private final WorkQueue queue;
    private final Map<JobStatus, AtomicLong> byStatus = new EnumMap<>(JobStatus.class);
    private final AtomicLong depth = new AtomicLong();
    private final AtomicInteger busy = new AtomicInteger();
    private final Timer stepTime;
    private final DistributionSummary tokensPerSecond;

    public WorkerMetrics(MeterRegistry registry, JobRepository jobs, WorkQueue queue, TrainerConfig config) {
        this.jobs = jobs;
        this.queue = queue;
        for (JobStatus status : JobStatus.values()) {
            AtomicLong count = new AtomicLong();
            byStatus.put(status, count);
            Gauge.builder("tunewright.trainer.jobs", count, AtomicLong::get).tag("status", status.wireName())
                    .description("Fine-tuning jobs by status, all teams").register(registry);
        }
        Gauge.builder("tunewright.trainer.queue.depth", depth, AtomicLong::get)
                .description("Training jobs a worker could claim now (the KEDA scaler's query)").register(registry);
        int slots = config.roles().contains(TrainerConfig.Role.WORKER) ? config.worker().concurrency() : 0;
        Gauge.builder("tunewright.trainer.worker.busy", busy, AtomicInteger::get)
                .description("Job slots of this worker that are training").register(registry);
        Gauge.builder("tunewright.trainer.worker.idle", busy, b -> Math.max(0, slots - b.get()))
                .description("Job slots of this worker that wait for work").register(registry);
        this.stepTime = Timer.builder("tunewright.trainer.step.time").description("Wall-clock time per optimizer step")
                .register(registry);
        this.tokensPerSecond = DistributionSummary.builder("tunewright.trainer.tokens.per.second")
                .description("Non-padding tokens per second through forward and backward, per step").register(registry);
    }

    @Scheduled(every = "${tunewright.trainer.metrics-refresh:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "tunewright-trainer-metrics")
    void refresh() {
        try {
            Map<JobStatus, Long> counts = QuarkusTransaction.requiringNew().call(jobs::countByStatus);
            counts.forEach((status, count) -> byStatus.get(status).set(count));
            depth.set(QuarkusTransaction.requiringNew().call(() -> queue.depth(JobService.QUEUE_KIND)));
        } catch (RuntimeException e) {
            LOG.debugf("job metrics not refreshed: %s", e.getMessage());
        }
    }

    void step(StepReport report, long stepNanos) {
        stepTime.record(Duration.ofNanos(stepNanos));
        tokensPerSecond.record(report.tokensPerSecond());
    }

    void busy(int delta) {
        busy.addAndGet(delta);
    }

    void finished() {
        refresh();
    }
}
