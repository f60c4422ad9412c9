package io.claudesignal.sessions.application.port.out;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionSummary;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The position of a page in the newest-first order: {@link PageCursor}. */
class PageCursorTest {

    private static final Instant AT = Instant.parse("2026-01-26T01:58:12.123456Z");

    private static SessionSummary summary(Instant createdAt, SessionId id) {
        return Session.create(id, "/p", "t", createdAt).summary();
    }

    @Test
    void aCursorComesBackAsEncoded() {
        PageCursor cursor = PageCursor.after(summary(AT, SessionId.random()));
        assertThat(PageCursor.decode(cursor.encode())).isEqualTo(cursor);
        assertThat(cursor.encode()).doesNotContain("=", "+", "/");
    }

    @Test
    void olderSessionsAndSameInstantSmallerIdsComeAfter() {
        SessionId low = SessionId.parse("00000000-0000-4000-8000-000000000001");
        SessionId high = SessionId.parse("00000000-0000-4000-8000-000000000002");
        PageCursor cursor = new PageCursor(AT, high);
        assertThat(cursor.precedes(summary(AT.minusNanos(1_000), high))).isTrue();
        assertThat(cursor.precedes(summary(AT, low))).isTrue();
        assertThat(cursor.precedes(summary(AT, high))).as("not itself").isFalse();
        assertThat(cursor.precedes(summary(AT.plusSeconds(1), low))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "garbage", "bm90IGEgY3Vyc29y", "%%%", "MjAyNi0wMS0yNlQwMTo1ODoxMlp8bm90LWFuLWlk"})
    void textNoPageGaveIsRefused(String text) {
        assertThatThrownBy(() -> PageCursor.decode(text))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("cursor"));
    }
}
