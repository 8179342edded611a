package dev.tunewright.gateway.limits;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Per-team request rate and concurrent uploads, as one gateway instance sees them. The rate is a token bucket of
 * {@code burst} requests refilled at {@code requestsPerMinute}: a client may catch up after a quiet spell, but not
 * hold a higher rate. A team that hits a limit gets how long to wait, for the {@code Retry-After} header.
 *
 * <p>State is kept per team and never evicted: teams are created by operators, so there are few, and an evicted
 * counter would forget uploads still in flight.
 */
public final class TeamLimits {

    /** Released when the upload's exchange ends, however it ends; releasing twice is harmless. */
    public interface UploadSlot {
        void release();
    }

    private static final UploadSlot UNLIMITED = () -> { };

    private final int requestsPerMinute;
    private final int burst;
    private final int concurrentUploads;
    private final LongSupplier nanoTime;
    private final ConcurrentMap<String, TeamState> teams = new ConcurrentHashMap<>();

    public TeamLimits(int requestsPerMinute, int burst, int concurrentUploads, LongSupplier nanoTime) {
        if (requestsPerMinute < 0 || burst < 1 && requestsPerMinute > 0 || concurrentUploads < 0) {
            throw new IllegalArgumentException("tunewright.gateway.limits: requests-per-minute and concurrent-uploads"
                    + " must be 0 (off) or more, request-burst at least 1");
        }
        this.requestsPerMinute = requestsPerMinute;
        this.burst = burst;
        this.concurrentUploads = concurrentUploads;
        this.nanoTime = nanoTime;
    }

    public int requestsPerMinute() {
        return requestsPerMinute;
    }

    public int concurrentUploads() {
        return concurrentUploads;
    }

    /** Takes one request of the team's rate: empty when allowed, else the whole seconds to wait (at least 1). */
    public Optional<Long> tryRequest(String teamId) {
        if (requestsPerMinute == 0) {
            return Optional.empty();
        }
        return state(teamId).take(nanoTime.getAsLong());
    }

    /** One of the team's upload slots, or empty while all are taken. */
    public Optional<UploadSlot> tryUpload(String teamId) {
        if (concurrentUploads == 0) {
            return Optional.of(UNLIMITED);
        }
        TeamState state = state(teamId);
        if (!state.startUpload(concurrentUploads)) {
            return Optional.empty();
        }
        AtomicBoolean released = new AtomicBoolean();
        return Optional.of(() -> {
            if (released.compareAndSet(false, true)) {
                state.endUpload();
            }
        });
    }

    /** Uploads of the team in flight now. */
    public int uploadsInFlight(String teamId) {
        TeamState state = teams.get(teamId);
        return state == null ? 0 : state.uploads();
    }

    private TeamState state(String teamId) {
        return teams.computeIfAbsent(teamId, id -> new TeamState(burst, nanoTime.getAsLong()));
    }

    private final class TeamState {
        private double tokens;
        private long refilledAt;
        private int uploads;

        TeamState(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAt = now;
        }

        synchronized Optional<Long> take(long now) {
            double perNano = requestsPerMinute / 60e9;
            tokens = Math.min(burst, tokens + (now - refilledAt) * perNano);
            refilledAt = now;
            if (tokens >= 1) {
                tokens -= 1;
                return Optional.empty();
            }
            double waitNanos = (1 - tokens) / perNano;
            return Optional.of(Math.max(1, (long) Math.ceil(waitNanos / 1e9)));
        }

        synchronized boolean startUpload(int max) {
            if (uploads >= max) {
                return false;
            }
            uploads++;
            return true;
        }

        synchronized void endUpload() {
            uploads--;
        }

        synchronized int uploads() {
            return uploads;
        }
    }
}
