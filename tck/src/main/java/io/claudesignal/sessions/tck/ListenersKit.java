package io.claudesignal.sessions.tck;

import static io.claudesignal.sessions.domain.SessionStatus.ACTIVE;
import static io.claudesignal.sessions.domain.SessionStatus.PAUSED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudesignal.sessions.application.port.in.SessionEvent;
import io.claudesignal.sessions.application.port.in.Subscription;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.StatusMismatchException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Listeners: told of each committed change, after it is committed, and unable to break it. */
public abstract class ListenersKit extends Kit {

    @Test
    void listenersHearOfEachCommittedChange() throws Exception {
        List<SessionEvent> events = new ArrayList<>();
        Subscription subscription = sessions.subscribe(events::add);
        Session s = newSession();
        sessions.activate(s.id());
        sessions.mergeContext(s.id(), "{\"a\":1}");
        sessions.mergeContext(s.id(), "{\"a\":1}"); // no change, no event
        sessions.appendActivity(s.id(), "edit", "{}");
        assertThatThrownBy(() -> sessions.transition(s.id(), PAUSED, ACTIVE)).isInstanceOf(StatusMismatchException.class);
        advance(LEASE);
        sessions.recover();
        subscription.close();
        sessions.terminate(s.id());
        assertThat(events).extracting(e -> e.getClass().getSimpleName()).containsExactly(
                "Created", "Transitioned", "ContextChanged", "ActivityAppended", "Recovered");
        assertThat(events).allSatisfy(e -> assertThat(e.sessionId()).isEqualTo(s.id()));
        SessionEvent.Transitioned activated = (SessionEvent.Transitioned) events.get(1);
        assertThat(activated.transition().to()).isEqualTo(ACTIVE);
        assertThat(activated.session().version()).isEqualTo(2);
    }

    @Test
    void aListenerThatThrowsDoesNotBreakTheWriteNorOtherListeners() {
        List<SessionEvent> heard = new ArrayList<>();
        sessions.subscribe(e -> {
            throw new IllegalStateException("listener bug");
        });
        sessions.subscribe(heard::add);
        Session s = newSession();
        Session active = sessions.activate(s.id());
        assertThat(sessions.get(s.id())).isEqualTo(active);
        assertThat(heard).hasSize(2);
    }

    @Test
    void aListenerSeesTheChangeAlreadyCommitted() {
        List<SessionStatus> seen = new ArrayList<>();
        sessions.subscribe(e -> {
            if (e instanceof SessionEvent.Transitioned t) {
                seen.add(sessions.get(t.sessionId()).status());
            }
        });
        Session s = newSession();
        sessions.activate(s.id());
        assertThat(seen).containsExactly(ACTIVE);
    }
}
