package dev.tunewright.common.queue;

/**
 * The lease is no longer ours: it expired and another worker may be running the item. Whatever the worker was doing
 * must stop without committing anything; thrown from inside a transaction it rolls that transaction back.
 */
public class LeaseLostException extends RuntimeException {

    public LeaseLostException(Lease lease) {
        super("lease of " + lease.kind() + " " + lease.id() + " (attempt " + lease.attempts() + ", owner " + lease.owner()
                + ") is no longer held");
    }
}
