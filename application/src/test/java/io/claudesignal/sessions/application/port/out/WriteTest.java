package io.claudesignal.sessions.application.port.out;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.Lease;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.Transition;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The fencing rule every store applies: {@link Write#admittedBy}. */
class WriteTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final SessionId ID = SessionId.random();
    private static final Lease HELD = new Lease(ID, Actor.daemon("a"), 42, NOW.plusSeconds(30));

    private static Write fencedBy(Lease lease, Instant at) {
        return new Write(at, lease.owner(), Transition.USER, Optional.of(lease));
    }

    @Test
    void anUnfencedWriteIsAdmittedWhateverTheStoreHolds() {
        Write write = Write.by(Actor.CLI, NOW);
        assertThat(write.fence()).isEmpty();
        assertThat(write.reason()).isEqualTo(Transition.USER);
        assertThat(write.admittedBy(Optional.empty())).isTrue();
        assertThat(write.admittedBy(Optional.of(HELD))).isTrue();
    }

    @Test
    void aFencedWriteIsAdmittedUnderTheSameLiveClaimEvenRenewed() {
        assertThat(fencedBy(HELD, NOW).admittedBy(Optional.of(HELD))).isTrue();
        Lease renewed = new Lease(ID, HELD.owner(), HELD.token(), NOW.plusSeconds(60));
        assertThat(fencedBy(HELD, NOW.plusSeconds(45)).admittedBy(Optional.of(renewed))).isTrue();
    }

    @Test
    void aFencedWriteIsRefusedWhenTheLeaseIsGoneExpiredOrAnotherClaim() {
        Write write = fencedBy(HELD, NOW);
        assertThat(write.admittedBy(Optional.empty())).as("released or recovered").isFalse();
        assertThat(fencedBy(HELD, HELD.expiresAt()).admittedBy(Optional.of(HELD))).as("expired at the instant").isFalse();
        assertThat(write.admittedBy(Optional.of(new Lease(ID, HELD.owner(), 43, HELD.expiresAt()))))
                .as("the same owner's later claim").isFalse();
        assertThat(write.admittedBy(Optional.of(new Lease(ID, Actor.daemon("b"), 42, HELD.expiresAt()))))
                .as("another owner").isFalse();
    }

    @Test
    void aReasonMustBePrintableAndShort() {
        assertThatThrownBy(() -> new Write(NOW, Actor.CLI, " ", Optional.empty())).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new Write(NOW, Actor.CLI, "a\nb", Optional.empty()))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> new Write(NOW, Actor.CLI, "x".repeat(Transition.MAX_REASON_LENGTH + 1), Optional.empty()))
                .isInstanceOf(InvalidInputException.class);
        assertThat(new Write(NOW, Actor.CLI, Transition.CRASH_RECOVERY, Optional.empty()).reason())
                .isEqualTo(Transition.CRASH_RECOVERY);
    }
}
