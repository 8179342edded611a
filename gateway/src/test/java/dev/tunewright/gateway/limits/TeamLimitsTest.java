package dev.tunewright.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TeamLimitsTest {

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);

    @Test
    void aBurstGoesThroughThenTheSustainedRateWithTheWaitToldInWholeSeconds() {
        TeamLimits limits = new TeamLimits(60, 3, 0, clock::get);
        for (int i = 0; i < 3; i++) {
            assertThat(limits.tryRequest("a")).as("request %d of the burst", i).isEmpty();
        }
        assertThat(limits.tryRequest("a")).contains(1L);
        advance(500);
        assertThat(limits.tryRequest("a")).as("half a token back").contains(1L);
        advance(500);
        assertThat(limits.tryRequest("a")).as("one token a second at 60 a minute").isEmpty();
        assertThat(limits.tryRequest("a")).isPresent();
    }

    @Test
    void theWaitCoversTheWholeGapAtSlowRates() {
        TeamLimits limits = new TeamLimits(6, 1, 0, clock::get);
        assertThat(limits.tryRequest("a")).isEmpty();
        assertThat(limits.tryRequest("a")).as("one token every 10 s").contains(10L);
        advance(9_500);
        assertThat(limits.tryRequest("a")).as("rounded up, never 0").contains(1L);
    }

    @Test
    void aQuietSpellRefillsNoMoreThanTheBurst() {
        TeamLimits limits = new TeamLimits(60, 2, 0, clock::get);
        advance(3_600_000);
        assertThat(limits.tryRequest("a")).isEmpty();
        assertThat(limits.tryRequest("a")).isEmpty();
        assertThat(limits.tryRequest("a")).isPresent();
    }

    @Test
    void teamsHaveTheirOwnBuckets() {
        TeamLimits limits = new TeamLimits(60, 1, 0, clock::get);
        assertThat(limits.tryRequest("a")).isEmpty();
        assertThat(limits.tryRequest("a")).isPresent();
        assertThat(limits.tryRequest("b")).isEmpty();
    }

    @Test
    void zeroTurnsTheRequestLimitOff() {
        TeamLimits limits = new TeamLimits(0, 0, 0, clock::get);
        for (int i = 0; i < 10_000; i++) {
            assertThat(limits.tryRequest("a")).isEmpty();
        }
    }

    @Test
    void uploadSlotsAreCountedPerTeamAndComeBackOnceEach() {
        TeamLimits limits = new TeamLimits(0, 0, 2, clock::get);
        Optional<TeamLimits.UploadSlot> first = limits.tryUpload("a");
        Optional<TeamLimits.UploadSlot> second = limits.tryUpload("a");
        assertThat(first).isPresent();
        assertThat(second).isPresent();
        assertThat(limits.tryUpload("a")).isEmpty();
        assertThat(limits.tryUpload("b")).as("another team's uploads do not count").isPresent();
        first.get().release();
        first.get().release();
        assertThat(limits.uploadsInFlight("a")).as("a second release of the same slot is ignored").isEqualTo(1);
        assertThat(limits.tryUpload("a")).isPresent();
        assertThat(limits.tryUpload("a")).isEmpty();
    }

    @Test
    void uploadSlotsHoldUnderConcurrency() throws Exception {
        TeamLimits limits = new TeamLimits(0, 0, 3, clock::get);
        AtomicLong peak = new AtomicLong();
        AtomicLong inFlight = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 2_000; i++) {
                    limits.tryUpload("a").ifPresent(slot -> {
                        peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                        inFlight.decrementAndGet();
                        slot.release();
                    });
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(peak.get()).isBetween(1L, 3L);
        assertThat(limits.uploadsInFlight("a")).isZero();
    }

    @Test
    void refusesNonsenseSettings() {
        assertThatThrownBy(() -> new TeamLimits(-1, 1, 0, clock::get)).hasMessageContaining("requests-per-minute");
        assertThatThrownBy(() -> new TeamLimits(60, 0, 0, clock::get)).hasMessageContaining("request-burst");
        assertThatThrownBy(() -> new TeamLimits(60, 1, -1, clock::get)).hasMessageContaining("concurrent-uploads");
    }

    private void advance(long millis) {
        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }
}
