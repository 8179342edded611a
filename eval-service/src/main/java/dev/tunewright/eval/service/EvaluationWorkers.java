package dev.tunewright.eval.service;

import dev.tunewright.common.queue.QueueWorker;
import dev.tunewright.common.queue.WorkQueue;
import dev.tunewright.eval.config.EvalConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * The evaluation workers of this process: {@link QueueWorker} threads over the shared work queue, started with
 * the service and asked to stop at a safe point (and give their evaluations back) when it shuts down.
 */
@ApplicationScoped
public class EvaluationWorkers {

    private static final Logger LOG = Logger.getLogger(EvaluationWorkers.class);

    private final WorkQueue queue;
    private final EvaluationRunner runner;
    private final EvalConfig config;
    private volatile QueueWorker worker;

    public EvaluationWorkers(WorkQueue queue, EvaluationRunner runner, EvalConfig config) {
        this.queue = queue;
        this.runner = runner;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        EvalConfig.Worker w = config.worker();
        if (!w.enabled()) {
            LOG.info("evaluation workers disabled (tunewright.eval.worker.enabled=false)");
            return;
        }
        worker = new QueueWorker(queue, new QueueWorker.Settings(EvaluationService.KIND, owner(), w.once() ? 1 : w.concurrency(),
                w.leaseTime(), w.heartbeatEvery(), w.pollEvery(), w.retryDelay()), runner::run);
        if (w.once()) {
            worker.runOnceThenExit(w.onceWait());
        } else {
            worker.start();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        QueueWorker current = worker;
        if (current != null) {
            current.shutdown(Duration.ofSeconds(20));
        }
    }

    /** Something was queued: a waiting worker thread looks now instead of at its next poll. */
    public void wake() {
        QueueWorker current = worker;
        if (current != null) {
            current.wake();
        }
    }

    private static String owner() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return "eval@" + host + ":" + ManagementFactory.getRuntimeMXBean().getPid();
    }
}
