package io.claudesignal.sessions.application.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudesignal.sessions.application.port.in.Leases;
import io.claudesignal.sessions.domain.Lease;
import io.claudesignal.sessions.domain.SessionId;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The heartbeat's schedule, against a {@link Leases} that only counts renewals. Nothing here depends
 * on how many beats fit in a time window: the tests wait, with a generous timeout, for beats to happen.
 */
class LeaseHeartbeatTest {

    /** Counts {@link #renew()} calls; the first {@code failures} of them throw, as a busy store would. */
    private static final class CountingLeases implements Leases {
        final AtomicInteger renewals = new AtomicInteger();
        final CountDownLatch beats;
        final int failures;

        CountingLeases(int beatsToWaitFor, int failures) {
            this.beats = new CountDownLatch(beatsToWaitFor);
            this.failures = failures;
        }

        @Override
        public List<SessionId> renew() {
            int n = renewals.incrementAndGet();
            beats.countDown();
            if (n <= failures) {
                throw new IllegalStateException("the store is busy (beat " + n + ")");
            }
            return List.of();
        }

        @Override
        public Lease claim(SessionId id) {
            throw new UnsupportedOperationException("the heartbeat only renews");
        }

        @Override
        public void release(SessionId id) {
            throw new UnsupportedOperationException("the heartbeat only renews");
        }

        @Override
        public Optional<Lease> held(SessionId id) {
            return Optional.empty();
        }

        @Override
        public Optional<Lease> lease(SessionId id) {
            return Optional.empty();
        }

        @Override
        public List<Lease> heldLeases() {
            return List.of();
        }
    }

    @Test
    void itRenewsAgainAndAgain() throws Exception {
        CountingLeases leases = new CountingLeases(3, 0);
        try (LeaseHeartbeat heartbeat = LeaseHeartbeat.start(leases, Duration.ofMillis(5))) {
            assertThat(leases.beats.await(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aFailedRenewalIsRetriedAtTheNextBeat() throws Exception {
        CountingLeases leases = new CountingLeases(4, 2);
        try (LeaseHeartbeat heartbeat = LeaseHeartbeat.start(leases, Duration.ofMillis(5))) {
            assertThat(leases.beats.await(30, TimeUnit.SECONDS)).as("beats go on after two failures").isTrue();
        }
    }

    @Test
    void theFirstBeatWaitsOneInterval() throws Exception {
        CountingLeases leases = new CountingLeases(1, 0);
        try (LeaseHeartbeat heartbeat = LeaseHeartbeat.start(leases, Duration.ofHours(1))) {
            assertThat(leases.beats.await(200, TimeUnit.MILLISECONDS)).isFalse();
            assertThat(leases.renewals).hasValue(0);
        }
    }

    @Test
    void closingStopsTheBeats() throws Exception {
        CountingLeases leases = new CountingLeases(2, 0);
        LeaseHeartbeat heartbeat = LeaseHeartbeat.start(leases, Duration.ofMillis(5));
        assertThat(leases.beats.await(30, TimeUnit.SECONDS)).isTrue();
        heartbeat.close(); // returns once the timer thread has stopped
        int afterClose = leases.renewals.get();
        Thread.sleep(100);
        assertThat(leases.renewals).hasValue(afterClose);
    }
}
