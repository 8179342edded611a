package dev.tunewright.common.queue;

import java.time.Instant;
import java.util.UUID;

/**
 * A worker's claim on one work item. The token fences every later write: once the lease expired and another worker
 * claimed the item, this lease's heartbeats and completion are refused.
 *
 * @param attempts how many times the item has been claimed, this claim included (1 on the first run; more means
 *                 an earlier worker died or gave the item back, and the work should resume rather than restart)
 */
public record Lease(String id, String kind, String teamId, UUID token, String owner, int attempts, Instant expiresAt) {
}
