package io.claudesignal.sessions.tck;

import static io.claudesignal.sessions.domain.SessionStatus.ACTIVE;
import static io.claudesignal.sessions.domain.SessionStatus.CREATED;
import static io.claudesignal.sessions.domain.SessionStatus.PAUSED;
import static io.claudesignal.sessions.domain.SessionStatus.TERMINATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudesignal.sessions.application.port.in.Sessions;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.StatusMismatchException;
import io.claudesignal.sessions.domain.Transition;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The history of status changes: each one recorded once, oldest first, with its reason and actor. */
public abstract class HistoryKit extends Kit {

    @Test
    void everyStatusChangeIsRecordedOldestFirstWithReasonAndActor() throws Exception {
        SessionService daemon = daemon("a");
        Session s = sessions.create("/p", "t");
        sessions.activate(s.id());
        daemon.transition(s.id(), ACTIVE, PAUSED, "idle-timeout");
        sessions.resume(s.id());
        sessions.terminate(s.id());
        List<Transition> history = sessions.history(s.id());
        assertThat(history).extracting(Transition::from, Transition::to)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(CREATED, ACTIVE),
                        org.assertj.core.groups.Tuple.tuple(ACTIVE, PAUSED),
                        org.assertj.core.groups.Tuple.tuple(PAUSED, ACTIVE),
                        org.assertj.core.groups.Tuple.tuple(ACTIVE, TERMINATED));
        assertThat(history).extracting(Transition::reason).containsExactly("user", "idle-timeout", "user", "user");
        assertThat(history).extracting(Transition::actor)
                .containsExactly(Actor.CLI, Actor.daemon("a"), Actor.CLI, Actor.CLI);
        assertThat(history).extracting(Transition::at).isSorted();
        assertThat(history.get(history.size() - 1).at()).isEqualTo(sessions.get(s.id()).updatedAt());
    }

    @Test
    void aRefusedOrIdleChangeRecordsNothing() {
        Session s = sessionIn(ACTIVE);
        assertThatThrownBy(() -> sessions.transition(s.id(), PAUSED, ACTIVE)).isInstanceOf(StatusMismatchException.class);
        sessions.activate(s.id()); // ACTIVE -> ACTIVE: no status change
        sessions.mergeContext(s.id(), "{\"a\":1}");
        assertThat(sessions.history(s.id())).hasSize(1);
        assertThat(sessions.history(newSession().id())).isEmpty();
    }

    @Test
    void historyOfAnUnknownSessionIsNotFoundAndGoesWithADeletedOne() {
        assertThatThrownBy(() -> sessions.history(SessionId.random())).isInstanceOf(SessionNotFoundException.class);
        Session s = sessionIn(TERMINATED);
        sessions.appendActivity(s.id(), "edit", "{}");
        sessions.delete(s.id());
        assertThatThrownBy(() -> sessions.history(s.id())).isInstanceOf(SessionNotFoundException.class);
        assertThatThrownBy(() -> sessions.activities(s.id())).isInstanceOf(SessionNotFoundException.class);
    }

    @Test
    void racingTransitionsRecordExactlyTheChangesThatHappened() throws Exception {
        Sessions other = secondService();
        Session s = sessionIn(ACTIVE);
        List<Race.Outcome<Session>> outcomes = Race.run(RACERS,
                i -> () -> onHandle(i, sessions, other).transition(s.id(), i % 2 == 0 ? PAUSED : ACTIVE));
        assertThat(outcomes).allSatisfy(o -> assertThat(o.error()).isNull());
        List<Transition> history = sessions.history(s.id());
        // Each entry starts where the previous one ended: nothing was lost or recorded twice.
        for (int i = 1; i < history.size(); i++) {
            assertThat(history.get(i).from()).isEqualTo(history.get(i - 1).to());
        }
        assertThat(history.get(history.size() - 1).to()).isEqualTo(sessions.get(s.id()).status());
    }
}
