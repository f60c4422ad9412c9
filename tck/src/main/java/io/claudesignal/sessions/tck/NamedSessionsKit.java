package io.claudesignal.sessions.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudesignal.sessions.application.port.in.SessionEvent;
import io.claudesignal.sessions.application.port.in.SessionQuery;
import io.claudesignal.sessions.application.port.in.Sessions;
import io.claudesignal.sessions.domain.ConflictException;
import io.claudesignal.sessions.domain.DuplicateSessionException;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionStatus;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Sessions a caller names ({@code Sessions.create(id, project, thread)}): a retried create returns the
 * session the first one made, also when the retries race over two handles; the same id with another
 * project or thread is a conflict that writes nothing.
 */
public abstract class NamedSessionsKit extends Kit {

    private static final String PROJECT = "/home/ana/code/webapp";
    private static final String THREAD = "+15551234567";

    @Test
    void aNamedSessionHasTheChosenIdAndARetryReturnsIt() {
        SessionId id = SessionId.random();
        List<SessionEvent> events = new CopyOnWriteArrayList<>();
        sessions.subscribe(events::add);
        Session created = sessions.create(id, PROJECT, THREAD);
        assertThat(created.id()).isEqualTo(id);
        assertThat(created.status()).isEqualTo(SessionStatus.CREATED);
        assertThat(sessions.get(id)).isEqualTo(created);
        clock.advanceMicros(1_000);
        assertThat(sessions.create(id, PROJECT, THREAD)).isEqualTo(created);
        // A retry after the session moved on returns it as it is now, and changes nothing.
        Session active = sessions.activate(id);
        assertThat(sessions.create(id, PROJECT, THREAD)).isEqualTo(active);
        assertThat(sessions.list(SessionQuery.all()).sessions()).hasSize(1);
        assertThat(events).filteredOn(e -> e instanceof SessionEvent.Created).hasSize(1);
    }

    @Test
    void theSameIdWithAnotherProjectOrThreadIsAConflictThatWritesNothing() {
        SessionId id = SessionId.random();
        Session created = sessions.create(id, PROJECT, THREAD);
        assertThatThrownBy(() -> sessions.create(id, "/home/ana/code/other", THREAD))
                .isInstanceOfSatisfying(DuplicateSessionException.class, e -> assertThat(e.id()).isEqualTo(id))
                .hasMessageContaining("another project or thread");
        assertThatThrownBy(() -> sessions.create(id, PROJECT, "+15550000000")).isInstanceOf(ConflictException.class);
        assertThat(sessions.get(id)).isEqualTo(created);
        assertThat(sessions.list(SessionQuery.all()).sessions()).hasSize(1);
    }

    @Test
    void badInputIsRefusedBeforeTheIdIsLookedAt() {
        SessionId id = SessionId.random();
        assertThatThrownBy(() -> sessions.create(id, "relative", THREAD)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> sessions.create(id, PROJECT, " ")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> sessions.create(new SessionId(new UUID(0, 0)), PROJECT, THREAD))
                .isInstanceOf(InvalidInputException.class);
        assertThat(sessions.find(id)).isEmpty();
    }

    @Test
    void theIdOfADeletedSessionMayBeUsedAgain() {
        SessionId id = SessionId.random();
        sessions.create(id, PROJECT, THREAD);
        sessions.terminate(id);
        sessions.delete(id);
        Session again = sessions.create(id, "/home/ana/code/other", THREAD);
        assertThat(again.status()).isEqualTo(SessionStatus.CREATED);
        assertThat(again.projectPath()).isEqualTo("/home/ana/code/other");
    }

    @Test
    void racingRetriesOverTwoHandlesMakeOneSession() throws Exception {
        Sessions second = secondService();
        for (int round = 0; round < ROUNDS; round++) {
            SessionId id = SessionId.random();
            List<Race.Outcome<Session>> outcomes = Race.run(RACERS, i ->
                    () -> onHandle(i, sessions, second).create(id, PROJECT, THREAD));
            Session stored = sessions.get(id);
            for (Race.Outcome<Session> o : outcomes) {
                assertThat(o.error()).isNull();
                assertThat(o.value()).isEqualTo(stored);
            }
        }
        assertThat(sessions.list(SessionQuery.all().withLimit(100)).sessions()).hasSize(ROUNDS);
    }

    @Test
    void racingCreatesOfOneIdForTwoProjectsLeaveOneWinner() throws Exception {
        Sessions second = secondService();
        for (int round = 0; round < ROUNDS; round++) {
            SessionId id = SessionId.random();
            List<Race.Outcome<Session>> outcomes = Race.run(RACERS, i ->
                    () -> onHandle(i, sessions, second).create(id, i % 4 < 2 ? PROJECT : "/home/ana/code/other", THREAD));
            Session stored = sessions.get(id);
            int won = 0;
            for (int i = 0; i < outcomes.size(); i++) {
                Race.Outcome<Session> o = outcomes.get(i);
                String asked = i % 4 < 2 ? PROJECT : "/home/ana/code/other";
                if (asked.equals(stored.projectPath())) {
                    assertThat(o.error()).isNull();
                    assertThat(o.value()).isEqualTo(stored);
                    won++;
                } else {
                    assertThat(o.error()).isInstanceOf(DuplicateSessionException.class);
                }
            }
            assertThat(won).isEqualTo(RACERS / 2);
        }
    }
}
