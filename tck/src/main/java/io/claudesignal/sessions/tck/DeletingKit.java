package io.claudesignal.sessions.tck;

import static io.claudesignal.sessions.domain.SessionStatus.TERMINATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudesignal.sessions.application.port.in.SessionQuery;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.StatusMismatchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Deleting: only a terminated session, and then for good. */
public abstract class DeletingKit extends Kit {

    @Test
    void aTerminatedSessionIsGoneForGood() {
        Session s = sessionIn(TERMINATED);
        sessions.delete(s.id());
        assertThat(sessions.find(s.id())).isEmpty();
        assertThat(sessions.list(SessionQuery.all()).sessions()).isEmpty();
        assertThatThrownBy(() -> sessions.delete(s.id())).isInstanceOf(SessionNotFoundException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"CREATED", "ACTIVE", "PAUSED"})
    void aLiveSessionMustBeTerminatedFirst(String status) {
        Session s = sessionIn(SessionStatus.valueOf(status));
        assertThatThrownBy(() -> sessions.delete(s.id()))
                .isInstanceOfSatisfying(StatusMismatchException.class, e -> {
                    assertThat(e.expected()).isEqualTo(TERMINATED);
                    assertThat(e.actual()).isEqualTo(s.status());
                });
        assertThat(sessions.get(s.id())).isEqualTo(s);
    }
}
