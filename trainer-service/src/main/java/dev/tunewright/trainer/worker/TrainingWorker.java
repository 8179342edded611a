package dev.tunewright.trainer.worker;

import dev.tunewright.common.queue.QueueWorker;
import dev.tunewright.common.queue.WorkQueue;
import dev.tunewright.trainer.config.TrainerConfig;
import dev.tunewright.trainer.config.TrainerRoles;
import dev.tunewright.trainer.service.JobService;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * The worker role: {@code concurrency} threads claim training jobs from the work queue and run them, woken by
 * {@code job.created} triggers and jobs queued in this process, and polling for resumed jobs and jobs whose
 * worker died. With {@code once} it claims one job, runs it and exits the process (a Kubernetes Job).
 */
@ApplicationScoped
public class TrainingWorker {

    private static final Logger LOG = Logger.getLogger(TrainingWorker.class);
    /** How long a stopping worker waits for its jobs to checkpoint and hand themselves back. */
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(25);

    private final TrainerConfig config;
    private final TrainerRoles roles;
    private final WorkQueue queue;
    private final JobRunner runner;
    private volatile QueueWorker worker;

    public TrainingWorker(TrainerConfig config, TrainerRoles roles, WorkQueue queue, JobRunner runner) {
        this.config = config;
        this.roles = roles;
        this.queue = queue;
        this.runner = runner;
    }

    void start(@Observes StartupEvent event) {
        if (!roles.worker()) {
            LOG.info("trainer instance without the worker role: no jobs are trained here");
            return;
        }
        config.worker().torchThreads().ifPresent(threads -> System.setProperty("ai.djl.pytorch.num_threads",
                String.valueOf(threads)));
        TrainerConfig.Worker settings = config.worker();
        worker = new QueueWorker(queue, new QueueWorker.Settings(JobService.QUEUE_KIND, runner.workerId(),
                settings.once() ? 1 : settings.concurrency(), settings.leaseTime(), settings.heartbeatEvery(),
                settings.pollEvery(), settings.retryDelay(), config.limits().maxRunningPerTeam()), runner);
        if (settings.once()) {
            worker.runOnceThenExit(settings.onceWait());
        } else {
            worker.start();
        }
    }

    /** Something was queued: a trigger from Kafka, or a job queued by the API in this process. */
    public void wake() {
        QueueWorker current = worker;
        if (current != null) {
            current.wake();
        }
    }

    void queuedHere(@Observes JobService.Queued queued) {
        wake();
    }

    /** Running jobs checkpoint at their next step and go back to the queue; another worker resumes them. */
    void stop(@Observes ShutdownEvent event) {
        QueueWorker current = worker;
        if (current != null) {
            current.shutdown(SHUTDOWN_GRACE);
        }
    }

    public int busy() {
        QueueWorker current = worker;
        return current == null ? 0 : current.busy();
    }
}
