package dev.tunewright.gateway.it;

import io.quarkus.test.Mock;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The gateway's clock in {@code @QuarkusTest}s: the system clock moved by an offset that a test sets, so a test can
 * step past a key's grace period instead of waiting it out. The offset is zero unless a test moves it, and a test
 * that moves it puts it back ({@link #reset()}).
 */
@Mock
@Singleton
public class ShiftedClock extends Clock {

    private static final AtomicReference<Duration> OFFSET = new AtomicReference<>(Duration.ZERO);

    /** Moves the gateway's time forward by {@code step}. */
    public static void advance(Duration step) {
        OFFSET.accumulateAndGet(step, Duration::plus);
    }

    public static void reset() {
        OFFSET.set(Duration.ZERO);
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(OFFSET.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return Clock.offset(Clock.system(zone), OFFSET.get());
    }
}
