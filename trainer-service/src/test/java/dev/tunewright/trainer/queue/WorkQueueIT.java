package dev.tunewright.trainer.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tunewright.common.queue.Lease;
import dev.tunewright.common.queue.LeaseGuard;
import dev.tunewright.common.queue.LeaseLostException;
import dev.tunewright.common.queue.QueueWorker;
import dev.tunewright.common.queue.WorkQueue;
import dev.tunewright.testing.InfrastructureResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The shared lease queue on the real PostgreSQL: one live holder per item, fenced writes, resumable claims. */
@QuarkusTest
@QuarkusTestResource(InfrastructureResource.class)
class WorkQueueIT {

    private static final Duration LEASE = Duration.ofSeconds(30);

    @Inject
    WorkQueue queue;

    @Test
    void everyItemIsClaimedByExactlyOneOfManyConcurrentWorkers() throws Exception {
        String kind = kind();
        for (int i = 0; i < 40; i++) {
            int n = i;
            QuarkusTransaction.requiringNew().run(() -> queue.enqueue(kind, kind + "-" + n, "team-a", 0));
        }
        QuarkusTransaction.requiringNew().run(() -> assertThat(queue.enqueue(kind, kind + "-0", "team-a", 0)).isFalse());
        assertThat(queue.depth(kind)).isEqualTo(40);

        ExecutorService pool = Executors.newFixedThreadPool(8);
        Set<String> claimed = ConcurrentHashMap.newKeySet();
        List<String> duplicates = Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            String owner = "worker-" + w;
            done.add(pool.submit(() -> {
                for (Optional<Lease> lease = queue.claim(kind, owner, LEASE); lease.isPresent();
                        lease = queue.claim(kind, owner, LEASE)) {
                    if (!claimed.add(lease.get().id())) {
                        duplicates.add(lease.get().id());
                    }
                    assertThat(lease.get().attempts()).isEqualTo(1);
                }
                return null;
            }));
        }
        for (Future<?> future : done) {
            future.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(duplicates).isEmpty();
        assertThat(claimed).hasSize(40);
        assertThat(queue.depth(kind)).isZero();
        assertThat(queue.running(kind)).isEqualTo(40);
    }

    @Test
    void anExpiredLeaseIsTakenOverAndTheOldHolderCanNeitherRenewNorComplete() {
        String kind = kind();
        QuarkusTransaction.requiringNew().run(() -> queue.enqueue(kind, kind + "-job", "team-a", 0));
        Lease first = queue.claim(kind, "worker-1", Duration.ofMillis(1)).orElseThrow();
        assertThat(first.attempts()).isEqualTo(1);
        awaitExpiry(first);

        Lease second = queue.claim(kind, "worker-2", LEASE).orElseThrow();
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.attempts()).isEqualTo(2);
        assertThat(queue.heartbeat(first, LEASE)).isFalse();
        assertThat(queue.release(first, Duration.ZERO, "late")).isFalse();
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> queue.complete(first)))
                .isInstanceOf(LeaseLostException.class);

        assertThat(queue.heartbeat(second, LEASE)).isTrue();
        QuarkusTransaction.requiringNew().run(() -> queue.complete(second));
        assertThat(queue.claim(kind, "worker-3", LEASE)).isEmpty();
        assertThat(queue.running(kind)).isZero();
    }

    @Test
    void aReleasedItemWaitsItsDelayAndCountsAnotherAttempt() {
        String kind = kind();
        QuarkusTransaction.requiringNew().run(() -> queue.enqueue(kind, kind + "-job", "team-a", 0));
        Lease lease = queue.claim(kind, "worker-1", LEASE).orElseThrow();
        assertThat(queue.release(lease, Duration.ofHours(1), "transient")).isTrue();
        assertThat(queue.claim(kind, "worker-1", LEASE)).isEmpty();
        assertThat(queue.depth(kind)).isZero();

        QuarkusTransaction.requiringNew().run(() -> queue.enqueue(kind, kind + "-now", "team-a", 0));
        Lease now = queue.claim(kind, "worker-1", LEASE).orElseThrow();
        assertThat(now.id()).isEqualTo(kind + "-now");
        assertThat(queue.release(now, Duration.ZERO, null)).isTrue();
        assertThat(queue.claim(kind, "worker-2", LEASE).orElseThrow().attempts()).isEqualTo(2);
    }

    @Test
    void positionsFollowPriorityThenAgeAndQueuedItemsCanBeRemoved() {
        String kind = kind();
        QuarkusTransaction.requiringNew().run(() -> {
            queue.enqueue(kind, kind + "-a", "team-a", 0);
            queue.enqueue(kind, kind + "-b", "team-a", 0);
        });
        QuarkusTransaction.requiringNew().run(() -> queue.enqueue(kind, kind + "-urgent", "team-b", 5));
        assertThat(queue.position(kind, kind + "-urgent")).contains(1L);
        assertThat(queue.position(kind, kind + "-a")).isPresent();
        assertThat(queue.position(kind, kind + "-b").orElseThrow()).isEqualTo(3L);

        Lease urgent = queue.claim(kind, "worker-1", LEASE).orElseThrow();
        assertThat(urgent.id()).isEqualTo(kind + "-urgent");
        assertThat(queue.position(kind, urgent.id())).isEmpty();
        QuarkusTransaction.requiringNew().run(() -> {
            assertThat(queue.removeQueued(urgent.id())).as("a leased item is its worker's to end").isFalse();
            assertThat(queue.removeQueued(kind + "-b")).isTrue();
        });
        assertThat(queue.depth(kind)).isEqualTo(1);
    }

    @Test
    void aTeamAtItsRunningLimitWaitsWhileOtherTeamsAreClaimed() {
        String kind = kind();
        QuarkusTransaction.requiringNew().run(() -> {
            queue.enqueue(kind, kind + "-a1", "team-a", 0);
            queue.enqueue(kind, kind + "-a2", "team-a", 0);
            queue.enqueue(kind, kind + "-b1", "team-b", 0);
        });
        Lease a1 = queue.claim(kind, "worker-1", LEASE, 1).orElseThrow();
        assertThat(a1.id()).isEqualTo(kind + "-a1");
        assertThat(queue.claim(kind, "worker-2", LEASE, 1).orElseThrow().id()).as("a2 waits for a1").isEqualTo(kind + "-b1");
        assertThat(queue.claim(kind, "worker-3", LEASE, 1)).isEmpty();
        assertThat(queue.depth(kind)).as("a2 still counts as waiting").isEqualTo(1);
        QuarkusTransaction.requiringNew().run(() -> queue.complete(a1));
        assertThat(queue.claim(kind, "worker-3", LEASE, 1).orElseThrow().id()).isEqualTo(kind + "-a2");
    }

    @Test
    void aStopRequestReachesTheHolderOfTheLeaseOnly() {
        String kind = kind();
        QuarkusTransaction.requiringNew().run(() -> queue.enqueue(kind, kind + "-job", "team-a", 0));
        QuarkusTransaction.requiringNew().run(() ->
                assertThat(queue.requestStop(kind + "-job", "cancel")).as("not running yet").isFalse());
        Lease lease = queue.claim(kind, "worker-1", LEASE).orElseThrow();
        assertThat(queue.stopRequest(lease)).isEmpty();
        QuarkusTransaction.requiringNew().run(() -> assertThat(queue.requestStop(lease.id(), "pause")).isTrue());
        assertThat(queue.stopRequest(lease)).contains("pause");
        assertThat(queue.release(lease, Duration.ZERO, null)).isTrue();
        Lease next = queue.claim(kind, "worker-2", LEASE).orElseThrow();
        assertThat(queue.stopRequest(next)).as("a released item starts again without the old request").isEmpty();
    }

    @Test
    void theWorkerRunsWokenItemsRetriesFailuresAndStopsItemsOnShutdown() throws Exception {
        String kind = kind();
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch failedOnce = new CountDownLatch(1);
        CountDownLatch longRunning = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        QueueWorker.Settings settings = new QueueWorker.Settings(kind, "test-worker", 2, LEASE, Duration.ofSeconds(1),
                Duration.ofMinutes(5), Duration.ZERO);
        QueueWorker worker = new QueueWorker(queue, settings, (Lease lease, LeaseGuard guard) -> {
            if (lease.id().endsWith("-flaky") && lease.attempts() == 1) {
                failedOnce.countDown();
                throw new IllegalStateException("transient");
            }
            if (lease.id().endsWith("-long")) {
                longRunning.countDown();
                guard.onStop(stopped::countDown);
                while (!guard.shuttingDown()) {
                    Thread.onSpinWait();
                }
                assertThat(queue.release(lease, Duration.ZERO, "worker shutting down")).isTrue();
                return;
            }
            QuarkusTransaction.requiringNew().run(() -> queue.complete(lease));
            ran.add(lease.id() + "#" + lease.attempts());
        });
        worker.start();
        try {
            // the poll interval is minutes: only wake() gets these running within the test's time
            QuarkusTransaction.requiringNew().run(() -> queue.enqueue(kind, kind + "-plain", "team-a", 0));
            worker.wake();
            QuarkusTransaction.requiringNew().run(() -> queue.enqueue(kind, kind + "-flaky", "team-a", 0));
            worker.wake();
            assertThat(failedOnce.await(30, TimeUnit.SECONDS)).isTrue();
            worker.wake();
            awaitRan(ran, kind + "-flaky#2");
            assertThat(ran).contains(kind + "-plain#1");

            QuarkusTransaction.requiringNew().run(() -> queue.enqueue(kind, kind + "-long", "team-a", 0));
            worker.wake();
            assertThat(longRunning.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(worker.busy()).isEqualTo(1);
        } finally {
            worker.shutdown(Duration.ofSeconds(30));
        }
        assertThat(stopped.await(1, TimeUnit.SECONDS)).isTrue();
        assertThat(worker.busy()).isZero();
        assertThat(queue.depth(kind)).as("the long item went back to the queue").isEqualTo(1);
    }

    @Test
    void anItemThatThrowsAnErrorFailsItsAttemptButNotTheWorkerThread() throws Exception {
        String kind = kind();
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        QueueWorker.Settings settings = new QueueWorker.Settings(kind, "test-worker", 1, LEASE, Duration.ofSeconds(1),
                Duration.ofMinutes(5), Duration.ZERO);
        QueueWorker worker = new QueueWorker(queue, settings, (Lease lease, LeaseGuard guard) -> {
            if (lease.attempts() == 1 && lease.id().endsWith("-linkage")) {
                throw new NoClassDefFoundError("com/example/Missing");
            }
            QuarkusTransaction.requiringNew().run(() -> queue.complete(lease));
            ran.add(lease.id() + "#" + lease.attempts());
        });
        worker.start();
        try {
            QuarkusTransaction.requiringNew().run(() -> queue.enqueue(kind, kind + "-linkage", "team-a", 0));
            worker.wake();
            awaitRan(ran, kind + "-linkage#2");
            QuarkusTransaction.requiringNew().run(() -> queue.enqueue(kind, kind + "-next", "team-a", 0));
            worker.wake();
            awaitRan(ran, kind + "-next#1");
        } finally {
            worker.shutdown(Duration.ofSeconds(30));
        }
    }

    private static void awaitRan(List<String> ran, String entry) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!ran.contains(entry) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(ran).contains(entry);
    }

    private void awaitExpiry(Lease lease) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (QuarkusTransaction.requiringNew().call(() -> queue.holds(lease)) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(QuarkusTransaction.requiringNew().call(() -> queue.holds(lease))).isFalse();
    }

    private static String kind() {
        return "t" + UUID.randomUUID().toString().substring(0, 8);
    }
}
