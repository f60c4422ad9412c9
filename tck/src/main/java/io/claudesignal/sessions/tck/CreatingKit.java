package io.claudesignal.sessions.tck;

import static io.claudesignal.sessions.domain.SessionStatus.CREATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudesignal.sessions.application.port.in.SessionQuery;
import io.claudesignal.sessions.application.port.in.Sessions;
import io.claudesignal.sessions.domain.DuplicateSessionException;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Creating sessions: what a new session holds, which input is refused, and that text and
 * timestamps come back exactly as written.
 */
public abstract class CreatingKit extends Kit {

    @Test
    void aNewSessionIsCreatedEmptyAndCanBeFoundAgain() {
        Session created = newSession();
        assertThat(created.status()).isEqualTo(CREATED);
        assertThat(created.version()).isEqualTo(1);
        assertThat(json(created.context())).isEqualTo(json("{}"));
        assertThat(created.createdAt()).isEqualTo(created.updatedAt());
        assertThat(sessions.find(created.id())).contains(created);
        assertThat(sessions.get(created.id())).isEqualTo(created);
    }

    @Test
    void textOfEveryScriptIsStoredExactly() {
        Session created = sessions.create("/home/ана/日本語 🚀/it's \"quoted\"; DROP TABLE x;--/../y", "group.Zm9v+/=");
        Session found = sessions.get(created.id());
        assertThat(found.projectPath()).isEqualTo("/home/ана/日本語 🚀/it's \"quoted\"; DROP TABLE x;--/../y");
        assertThat(found.threadId()).isEqualTo("group.Zm9v+/=");
    }

    @Test
    void timestampsKeepMicroseconds() {
        clock = TestClock.frozen(Instant.parse("2026-03-01T12:00:00.123456Z"));
        sessions = service(persistence, SessionIdGenerator.random());
        Session created = newSession();
        assertThat(sessions.get(created.id()).createdAt()).isEqualTo(Instant.parse("2026-03-01T12:00:00.123456Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "relative/dir", "/with\u0000nul", "/lone\ud800surrogate"})
    void anUnusablePathIsRefusedAndNothingIsStored(String path) {
        assertThatThrownBy(() -> sessions.create(path, "t")).isInstanceOf(InvalidInputException.class);
        assertThat(sessions.list(SessionQuery.all()).sessions()).isEmpty();
    }

    @Test
    void aBlankThreadIsRefused() {
        assertThatThrownBy(() -> sessions.create("/p", "")).isInstanceOf(InvalidInputException.class);
        assertThat(sessions.list(SessionQuery.all()).sessions()).isEmpty();
    }

    @Test
    void aSecondSessionWithTheSameIdIsRefusedAndTheFirstIsKept() {
        SessionId fixed = SessionId.random();
        Sessions sameIds = service(persistence, () -> fixed);
        Session first = sameIds.create("/first", "t1");
        assertThatThrownBy(() -> sameIds.create("/second", "t2"))
                .isInstanceOfSatisfying(DuplicateSessionException.class, e -> assertThat(e.id()).isEqualTo(fixed));
        assertThat(sessions.get(fixed)).isEqualTo(first);
    }

    @Test
    void anUnknownIdIsNotFound() {
        SessionId unknown = SessionId.random();
        assertThat(sessions.find(unknown)).isEmpty();
        assertThatThrownBy(() -> sessions.get(unknown))
                .isInstanceOfSatisfying(SessionNotFoundException.class, e -> assertThat(e.id()).isEqualTo(unknown));
    }
}
