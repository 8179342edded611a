package dev.tunewright.common.queue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What a running item needs to know about its lease while it works: whether the lease was lost (another worker may
 * have taken the item: stop and commit nothing) and whether this worker is shutting down (stop at a safe point and
 * give the item back, so another worker resumes it). Both can be polled, or watched with a callback that fires once,
 * on the heartbeat thread.
 */
public final class LeaseGuard {

    private final Lease lease;
    private final List<Runnable> onStop = new CopyOnWriteArrayList<>();
    private volatile boolean lost;
    private volatile boolean shuttingDown;

    LeaseGuard(Lease lease) {
        this.lease = lease;
    }

    public Lease lease() {
        return lease;
    }

    /** The heartbeat found the lease gone or expired: nothing of this run may be committed any more. */
    public boolean lost() {
        return lost;
    }

    /** The worker is stopping: end at the next safe point and release the item. */
    public boolean shuttingDown() {
        return shuttingDown;
    }

    /** Runs {@code action} once, when the lease is lost or the worker starts shutting down (at once if already so). */
    public void onStop(Runnable action) {
        onStop.add(action);
        if (lost || shuttingDown) {
            action.run();
        }
    }

    void markLost() {
        if (!lost) {
            lost = true;
            onStop.forEach(Runnable::run);
        }
    }

    void markShuttingDown() {
        if (!shuttingDown) {
            shuttingDown = true;
            onStop.forEach(Runnable::run);
        }
    }
}
