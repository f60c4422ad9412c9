package io.claudesignal.sessions.application.port.out;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.Transition;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A recovery is a kind of change when read, and stays a transition where it is stored. */
class ChangeTest {

    private static final SessionId ID = SessionId.random();
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static Change.Entry transition(String reason) {
        return Change.Entry.transition(ID, SessionStatus.ACTIVE, SessionStatus.PAUSED,
                new WriteContext(NOW, Actor.CLI, reason, Optional.empty()));
    }

    @Test
    void aCrashRecoveryIsStoredAsATransitionAndReadAsARecovery() {
        Change.Entry stored = transition(Transition.CRASH_RECOVERY);
        assertThat(stored.kind()).isEqualTo(Change.Kind.TRANSITIONED);
        Change read = stored.at(1, false);
        assertThat(read.kind()).isEqualTo(Change.Kind.RECOVERED);
        assertThat(read.reason()).contains(Transition.CRASH_RECOVERY);
    }

    @Test
    void anyOtherTransitionStaysATransition() {
        assertThat(transition(Transition.USER).at(1, false).kind()).isEqualTo(Change.Kind.TRANSITIONED);
    }

    @Test
    void noEntryIsStoredAsARecovery() {
        assertThatThrownBy(() -> new Change.Entry(ID, Change.Kind.RECOVERED, Actor.CLI, NOW, 1,
                SessionStatus.ACTIVE, SessionStatus.PAUSED, Transition.CRASH_RECOVERY, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
