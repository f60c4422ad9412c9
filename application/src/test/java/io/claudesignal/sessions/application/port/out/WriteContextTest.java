package io.claudesignal.sessions.application.port.out;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.Lease;
import io.claudesignal.sessions.domain.LeaseLostException;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.Transition;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The fencing rule every store applies to the lease it reads with a write. */
class WriteContextTest {

    private static final SessionId ID = new SessionId(UUID.randomUUID());
    private static final Actor DAEMON = new Actor("daemon-a");
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final Lease CLAIM = new Lease(ID, DAEMON, 7, NOW.plusSeconds(30));

    private static WriteContext fencedBy(Lease lease) {
        return new WriteContext(NOW, DAEMON, Transition.USER, Optional.of(lease));
    }

    @Test
    void anUnfencedWritePassesWhateverIsStored() {
        WriteContext write = WriteContext.by(Actor.CLI, NOW);
        assertThat(write.admittedBy(Optional.empty())).isTrue();
        write.requireAdmittedBy(Optional.of(new Lease(ID, DAEMON, 1, NOW)));
    }

    @Test
    void aFencedWritePassesUnderItsOwnClaimRenewed() {
        fencedBy(CLAIM).requireAdmittedBy(Optional.of(new Lease(ID, DAEMON, 7, NOW.plusSeconds(60))));
    }

    @Test
    void aFencedWriteIsRefusedOnceTheClaimIsGoneTakenOverOrExpired() {
        for (Optional<Lease> stored : List.of(Optional.<Lease>empty(),
                Optional.of(new Lease(ID, DAEMON, 8, NOW.plusSeconds(30))),
                Optional.of(new Lease(ID, new Actor("daemon-b"), 7, NOW.plusSeconds(30))),
                Optional.of(new Lease(ID, DAEMON, 7, NOW)))) {
            assertThatThrownBy(() -> fencedBy(CLAIM).requireAdmittedBy(stored))
                    .as(stored.toString())
                    .isInstanceOfSatisfying(LeaseLostException.class, e -> assertThat(e.lost()).isEqualTo(CLAIM));
        }
    }

    @Test
    void aReasonMustBePrintableAndShort() {
        assertThatThrownBy(() -> new WriteContext(NOW, Actor.CLI, " ", Optional.empty())).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new WriteContext(NOW, Actor.CLI, "a\nb", Optional.empty()))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new WriteContext(NOW, Actor.CLI, "x".repeat(Transition.MAX_REASON_LENGTH + 1), Optional.empty()))
                .isInstanceOf(InvalidInputException.class);
        assertThat(new WriteContext(NOW, Actor.CLI, Transition.CRASH_RECOVERY, Optional.empty()).reason())
                .isEqualTo(Transition.CRASH_RECOVERY);
    }

    @Test
    void aTimedWriteReadsItsClockWhenTheStoreStampsItToTheMicrosecond() {
        java.util.concurrent.atomic.AtomicLong reads = new java.util.concurrent.atomic.AtomicLong();
        java.time.Clock counting = new java.time.Clock() {
            @Override
            public Instant instant() {
                return NOW.plusNanos(1_000_999 * reads.incrementAndGet());
            }

            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };
        WriteContext write = WriteContext.timedBy(counting, Actor.CLI, Transition.USER, Optional.empty());
        assertThat(reads).as("not read when made: the store reads it once it holds the session").hasValue(0);
        assertThat(write.stamp()).isEqualTo(NOW.plusNanos(1_000_000));
        assertThat(write.at()).as("the stamp, not a new read").isEqualTo(NOW.plusNanos(1_000_000));
        assertThat(write.stamp()).as("a retry stamps again").isEqualTo(NOW.plusNanos(2_001_000));
        assertThat(write.withFence(Optional.of(CLAIM)).at()).as("a new attempt reads anew").isEqualTo(NOW.plusNanos(3_002_000));
        assertThat(new WriteContext(NOW.plusNanos(999), Actor.CLI, Transition.USER, Optional.empty()).at()).isEqualTo(NOW);
    }
}
