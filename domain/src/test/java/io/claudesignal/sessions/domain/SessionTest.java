package io.claudesignal.sessions.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SessionTest {

    private static final Instant T0 = Instant.parse("2026-01-26T01:58:12.123456789Z");
    private static final SessionId ID = SessionId.parse("4c59adf8-6832-4cfa-92f4-4ee146654006");

    @Test
    void aNewSessionIsCreatedWithAnEmptyContextAtVersionOne() {
        Session s = Session.create(ID, "/home/ana/code/webapp", "+15551234567", T0);
        assertThat(s.status()).isEqualTo(SessionStatus.CREATED);
        assertThat(s.context()).isEqualTo("{}");
        assertThat(s.version()).isEqualTo(1);
        assertThat(s.createdAt()).isEqualTo(s.updatedAt()).isEqualTo(Instant.parse("2026-01-26T01:58:12.123456Z"));
    }

    @Test
    void everyChangeRaisesTheVersionByOneAndKeepsTheRest() {
        Session s = Session.create(ID, "/p", "t", T0);
        Session active = s.transitionTo(SessionStatus.ACTIVE, T0.plusSeconds(1));
        Session withContext = active.withContext("{\"a\":1}", T0.plusSeconds(2));
        assertThat(active.version()).isEqualTo(2);
        assertThat(withContext.version()).isEqualTo(3);
        assertThat(withContext.status()).isEqualTo(SessionStatus.ACTIVE);
        assertThat(withContext.createdAt()).isEqualTo(s.createdAt());
        assertThat(withContext.updatedAt()).isEqualTo(Instant.parse("2026-01-26T01:58:14.123456Z"));
        assertThat(s.status()).as("the original is unchanged").isEqualTo(SessionStatus.CREATED);
    }

    @Test
    void aClockThatStepsBackDoesNotMakeAChangeOlder() {
        Session s = Session.create(ID, "/p", "t", T0);
        Session later = s.transitionTo(SessionStatus.ACTIVE, T0.minusSeconds(60));
        assertThat(later.updatedAt()).isEqualTo(s.updatedAt());
    }

    @Test
    void refusesAForbiddenTransition() {
        Session s = Session.create(ID, "/p", "t", T0);
        assertThatThrownBy(() -> s.transitionTo(SessionStatus.PAUSED, T0))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessageContaining("CREATED").hasMessageContaining("PAUSED");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "relative/path", "./x", "/a\u0000b", "/a\nb", "/bad\ud800"})
    void refusesAProjectPathThatIsNotAUsableAbsolutePath(String path) {
        assertThatThrownBy(() -> Session.create(ID, path, "t", T0))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("projectPath"));
    }

    @Test
    void refusesOverlongValues() {
        String longPath = "/" + "a".repeat(Session.MAX_PROJECT_PATH_LENGTH);
        assertThatThrownBy(() -> Session.create(ID, longPath, "t", T0)).isInstanceOf(InvalidInputException.class);
        String longThread = "t".repeat(Session.MAX_THREAD_ID_LENGTH + 1);
        assertThatThrownBy(() -> Session.create(ID, "/p", longThread, T0))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("threadId"));
    }

    @Test
    void refusesABlankThreadId() {
        assertThatThrownBy(() -> Session.create(ID, "/p", " ", T0)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> Session.create(ID, "/p", null, T0)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void acceptsPathsAndThreadsOfEveryScript() {
        Session s = Session.create(ID, "/home/ана/code/日本語 🚀/../x", "group.dGhyZWFkLWdyb3VwLTE=", T0);
        assertThat(s.projectPath()).isEqualTo("/home/ана/code/日本語 🚀/../x");
    }
}
