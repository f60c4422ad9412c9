package io.claudesignal.sessions.tck;

import static io.claudesignal.sessions.domain.SessionStatus.ACTIVE;
import static io.claudesignal.sessions.domain.SessionStatus.CREATED;
import static io.claudesignal.sessions.domain.SessionStatus.PAUSED;
import static io.claudesignal.sessions.domain.SessionStatus.TERMINATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudesignal.sessions.domain.IllegalTransitionException;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.StatusMismatchException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Status changes: every pair of statuses in both forms of {@code transition}, the conveniences,
 * and a clock that steps back.
 */
public abstract class TransitionsKit extends Kit {

    static Stream<Arguments> everyPair() {
        return Stream.of(SessionStatus.values())
                .flatMap(from -> Stream.of(SessionStatus.values()).map(to -> Arguments.of(from, to)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("everyPair")
    void expectedFormFollowsTheLifecycle(SessionStatus from, SessionStatus to) {
        Session before = sessionIn(from);
        if (from.canTransitionTo(to)) {
            Session after = sessions.transition(before.id(), from, to);
            assertThat(after.status()).isEqualTo(to);
            assertThat(after.version()).isEqualTo(before.version() + 1);
            assertThat(after.updatedAt()).isAfter(before.updatedAt());
            assertThat(after.createdAt()).isEqualTo(before.createdAt());
            assertThat(after.context()).isEqualTo(before.context());
            assertThat(sessions.get(before.id())).isEqualTo(after);
        } else {
            assertThatThrownBy(() -> sessions.transition(before.id(), from, to))
                    .isInstanceOfSatisfying(IllegalTransitionException.class, e -> {
                        assertThat(e.from()).isEqualTo(from);
                        assertThat(e.to()).isEqualTo(to);
                    });
            assertThat(sessions.get(before.id())).isEqualTo(before);
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("everyPair")
    void currentFormFollowsTheLifecycle(SessionStatus from, SessionStatus to) {
        Session before = sessionIn(from);
        if (from.canTransitionTo(to)) {
            Session after = sessions.transition(before.id(), to);
            assertThat(after.status()).isEqualTo(to);
            assertThat(after.version()).isEqualTo(before.version() + 1);
            assertThat(sessions.get(before.id())).isEqualTo(after);
        } else {
            assertThatThrownBy(() -> sessions.transition(before.id(), to))
                    .isInstanceOf(IllegalTransitionException.class);
            assertThat(sessions.get(before.id())).isEqualTo(before);
        }
    }

    @Test
    void aWrongExpectationIsAMismatchAndChangesNothing() {
        Session paused = sessionIn(PAUSED);
        assertThatThrownBy(() -> sessions.transition(paused.id(), ACTIVE, TERMINATED))
                .isInstanceOfSatisfying(StatusMismatchException.class, e -> {
                    assertThat(e.id()).isEqualTo(paused.id());
                    assertThat(e.expected()).isEqualTo(ACTIVE);
                    assertThat(e.actual()).isEqualTo(PAUSED);
                });
        assertThat(sessions.get(paused.id())).isEqualTo(paused);
    }

    @Test
    void theConveniencesDoWhatTheySay() {
        Session s = newSession();
        assertThat(sessions.activate(s.id()).status()).isEqualTo(ACTIVE);
        assertThat(sessions.pause(s.id()).status()).isEqualTo(PAUSED);
        assertThat(sessions.pause(s.id()).status()).as("pausing twice is harmless").isEqualTo(PAUSED);
        assertThat(sessions.resume(s.id()).status()).isEqualTo(ACTIVE);
        assertThatThrownBy(() -> sessions.resume(s.id())).isInstanceOf(StatusMismatchException.class);
        assertThat(sessions.terminate(s.id()).status()).isEqualTo(TERMINATED);
        assertThat(sessions.terminate(s.id()).status()).isEqualTo(TERMINATED);
        assertThatThrownBy(() -> sessions.activate(s.id())).isInstanceOf(IllegalTransitionException.class);
        assertThat(sessions.get(s.id()).version()).isEqualTo(7);
    }

    @Test
    void pausingANewSessionIsRefused() {
        Session s = newSession();
        assertThatThrownBy(() -> sessions.pause(s.id())).isInstanceOf(IllegalTransitionException.class);
    }

    @Test
    void transitioningAnUnknownSessionIsNotFound() {
        SessionId unknown = SessionId.random();
        assertThatThrownBy(() -> sessions.transition(unknown, CREATED, ACTIVE))
                .isInstanceOf(SessionNotFoundException.class);
        assertThatThrownBy(() -> sessions.transition(unknown, ACTIVE)).isInstanceOf(SessionNotFoundException.class);
    }

    @Test
    void aClockThatStepsBackNeverMakesUpdatedAtGoBack() {
        Session s = newSession();
        clock.advanceMicros(-3_600_000_000L);
        Session active = sessions.activate(s.id());
        assertThat(active.updatedAt()).isEqualTo(s.updatedAt());
        Session paused = sessions.transition(s.id(), ACTIVE, PAUSED);
        assertThat(paused.updatedAt()).isEqualTo(s.updatedAt());
    }
}
