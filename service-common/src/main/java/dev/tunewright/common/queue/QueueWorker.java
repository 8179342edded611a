package dev.tunewright.common.queue;

import io.quarkus.runtime.Quarkus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Runs items of one kind from a {@link WorkQueue}: {@code concurrency} threads each claim an item, run it while a
 * heartbeat renews its lease, and claim the next. Idle threads wait for {@link #wake} (a Kafka trigger) or the poll
 * interval, which is also how items of crashed workers are found once their leases expire. The item's code ends the
 * item itself ({@link WorkQueue#complete} in the transaction that records its outcome); if it throws instead, the
 * item goes back to the queue after {@link Settings#retryDelay}, to be resumed by the next claim.
 */
public final class QueueWorker implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(QueueWorker.class);

    /** The work of one item. */
    @FunctionalInterface
    public interface Item {
        void run(Lease lease, LeaseGuard guard) throws Exception;
    }

    /**
     * @param owner          names this worker in leases and logs (host and process, so an operator can find it)
     * @param leaseTime      how long a claim holds without a heartbeat; a crashed worker's item waits this long
     * @param heartbeatEvery how often the lease is renewed; well under {@code leaseTime}
     * @param pollEvery      how often an idle thread looks for work without being woken
     * @param retryDelay     how long an item whose run threw waits before it can be claimed again
     * @param maxPerTeam     items of one team running at once, over all workers of the kind; 0 for no limit
     */
    public record Settings(String kind, String owner, int concurrency, Duration leaseTime, Duration heartbeatEvery,
            Duration pollEvery, Duration retryDelay, int maxPerTeam) {

        /** Settings without a per-team limit. */
        public Settings(String kind, String owner, int concurrency, Duration leaseTime, Duration heartbeatEvery,
                Duration pollEvery, Duration retryDelay) {
            this(kind, owner, concurrency, leaseTime, heartbeatEvery, pollEvery, retryDelay, 0);
        }

        public Settings {
            if (concurrency < 1) {
                throw new IllegalArgumentException("worker concurrency must be at least 1, was " + concurrency);
            }
            if (heartbeatEvery.compareTo(leaseTime) >= 0) {
                throw new IllegalArgumentException("the heartbeat (" + heartbeatEvery + ") must come more often than the"
                        + " lease expires (" + leaseTime + ")");
            }
        }
    }

    private final WorkQueue queue;
    private final Settings settings;
    private final Item item;
    private final Semaphore wakeUps = new Semaphore(0);
    private final AtomicInteger busy = new AtomicInteger();
    private final Map<String, LeaseGuard> running = new ConcurrentHashMap<>();
    private final ScheduledExecutorService heartbeats;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closed;

    public QueueWorker(WorkQueue queue, Settings settings, Item item) {
        this.queue = queue;
        this.settings = settings;
        this.item = item;
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tunewright-" + settings.kind() + "-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts the worker threads; each runs until {@link #close}. */
    public synchronized void start() {
        for (int i = 0; i < settings.concurrency(); i++) {
            Thread thread = new Thread(this::loop, "tunewright-" + settings.kind() + "-worker-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        LOG.infof("%d %s worker thread(s) started as %s", settings.concurrency(), settings.kind(), settings.owner());
    }

    /** Something was queued: an idle thread looks at once instead of at its next poll. Cheap, any thread. */
    public void wake() {
        if (wakeUps.availablePermits() < settings.concurrency()) {
            wakeUps.release();
        }
    }

    /**
     * Claims one item, waiting up to {@code waitForWork} for one to become claimable, runs it and returns whether
     * there was one: a worker started for exactly one item (a Kubernetes Job) calls this once and exits.
     */
    public boolean runOnce(Duration waitForWork) throws InterruptedException {
        long deadline = System.nanoTime() + waitForWork.toNanos();
        while (!closed) {
            Optional<Lease> lease = queue.claim(settings.kind(), settings.owner(), settings.leaseTime(), settings.maxPerTeam());
            if (lease.isPresent()) {
                runClaimed(lease.get());
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wakeUps.tryAcquire(Math.min(left, settings.pollEvery().toNanos()), TimeUnit.NANOSECONDS);
        }
        return false;
    }

    /**
     * A {@code --once} process (a Kubernetes Job per queued item): on a thread of its own, runs one item, waiting up to
     * {@code waitForWork} for one, then exits the process: 0 when an item ran (whatever its outcome) or none was
     * queued, 1 when the worker itself failed.
     */
    public void runOnceThenExit(Duration waitForWork) {
        Thread once = new Thread(() -> {
            int exit = 0;
            try {
                if (runOnce(waitForWork)) {
                    LOG.infof("the one %s item of this worker ended; exiting", settings.kind());
                } else {
                    LOG.infof("no %s item was queued within %s; exiting", settings.kind(), waitForWork);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.error("the " + settings.kind() + " worker failed", e);
                exit = 1;
            }
            Quarkus.asyncExit(exit);
        }, "tunewright-" + settings.kind() + "-once");
        once.start();
    }

    /** Items running in this worker now. */
    public int busy() {
        return busy.get();
    }

    public Settings settings() {
        return settings;
    }

    private void loop() {
        while (!closed) {
            try {
                Optional<Lease> lease = queue.claim(settings.kind(), settings.owner(), settings.leaseTime(), settings.maxPerTeam());
                if (lease.isPresent()) {
                    runClaimed(lease.get());
                } else {
                    wakeUps.tryAcquire(settings.pollEvery().toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.warnf(e, "%s worker could not claim work; retrying after %s", settings.kind(), settings.pollEvery());
                try {
                    Thread.sleep(settings.pollEvery().toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void runClaimed(Lease lease) {
        LeaseGuard guard = new LeaseGuard(lease);
        running.put(lease.id(), guard);
        busy.incrementAndGet();
        long period = settings.heartbeatEvery().toMillis();
        ScheduledFuture<?> heartbeat = heartbeats.scheduleAtFixedRate(() -> beat(guard), period, period, TimeUnit.MILLISECONDS);
        LOG.infof("%s %s claimed by %s (attempt %d)", settings.kind(), lease.id(), settings.owner(), lease.attempts());
        try {
            item.run(lease, guard);
        } catch (LeaseLostException e) {
            LOG.warnf("%s %s: %s; another worker owns it now", settings.kind(), lease.id(), e.getMessage());
        } catch (VirtualMachineError e) {
            // out of memory or a broken VM: nothing in this process can be trusted to go on; the lease expires
            throw e;
        } catch (Exception | Error e) {
            // anything else (a NoClassDefFoundError of one item included) fails this attempt, never the worker thread
            if (guard.lost()) {
                LOG.warnf("%s %s stopped after its lease was lost: %s", settings.kind(), lease.id(), e);
            } else {
                LOG.errorf(e, "%s %s failed unexpectedly; back in the queue in %s", settings.kind(), lease.id(),
                        settings.retryDelay());
                queue.release(lease, settings.retryDelay(), String.valueOf(e));
            }
        } finally {
            heartbeat.cancel(false);
            running.remove(lease.id());
            busy.decrementAndGet();
        }
    }

    private void beat(LeaseGuard guard) {
        try {
            if (!queue.heartbeat(guard.lease(), settings.leaseTime())) {
                LOG.warnf("%s %s: lease lost (expired or taken over)", settings.kind(), guard.lease().id());
                guard.markLost();
            }
        } catch (RuntimeException e) {
            // A database hiccup is not a lost lease; the lease outlives a few missed beats.
            LOG.warnf("%s %s: heartbeat failed: %s", settings.kind(), guard.lease().id(), e.getMessage());
        }
    }

    /**
     * Stops claiming, tells running items to stop at a safe point and give their items back, and waits up to
     * {@code grace} for them; an item still running after that is left to its lease's expiry.
     */
    public void shutdown(Duration grace) {
        closed = true;
        wakeUps.release(settings.concurrency() + 1);
        running.values().forEach(LeaseGuard::markShuttingDown);
        long deadline = System.nanoTime() + grace.toNanos();
        for (Thread thread : threads) {
            try {
                thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        heartbeats.shutdownNow();
    }

    @Override
    public void close() {
        shutdown(Duration.ofSeconds(30));
    }
}
