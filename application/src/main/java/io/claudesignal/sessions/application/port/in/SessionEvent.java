package io.claudesignal.sessions.application.port.in;

import io.claudesignal.sessions.domain.Activity;
import io.claudesignal.sessions.domain.Lease;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.Transition;

/** Something that happened to a session, told to listeners after it was committed. */
public sealed interface SessionEvent {

    SessionId sessionId();

    record Created(Session session) implements SessionEvent {
        @Override
        public SessionId sessionId() {
            return session.id();
        }
    }

    /** A status change asked for through the API (recovery has its own event). */
    record Transitioned(Session session, Transition transition) implements SessionEvent {
        @Override
        public SessionId sessionId() {
            return session.id();
        }
    }

    record ContextChanged(Session session) implements SessionEvent {
        @Override
        public SessionId sessionId() {
            return session.id();
        }
    }

    record ActivityAppended(Activity activity) implements SessionEvent {
        @Override
        public SessionId sessionId() {
            return activity.sessionId();
        }
    }

    /**
     * This handle's lease on the session was found lost (at a renewal, or when a fenced write was
     * refused): another daemon or a recovery took the session over, and this one must stop running it.
     */
    record LeaseLost(Lease lease) implements SessionEvent {
        @Override
        public SessionId sessionId() {
            return lease.sessionId();
        }
    }

    /** Crash recovery paused the session: its owner was gone. */
    record Recovered(Transition transition) implements SessionEvent {
        @Override
        public SessionId sessionId() {
            return transition.sessionId();
        }
    }
}
