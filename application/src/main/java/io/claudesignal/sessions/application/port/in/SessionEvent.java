package io.claudesignal.sessions.application.port.in;

import io.claudesignal.sessions.domain.Activity;
import io.claudesignal.sessions.domain.Lease;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.TranscriptItem;
import io.claudesignal.sessions.domain.Transition;
import java.util.List;
import java.util.Objects;

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
     * The session's transcript changed: {@code appended} holds the items added (empty for a removal, or
     * for an idempotent append that found its key), {@code removed} how many items were removed.
     */
    record TranscriptChanged(SessionId sessionId, List<TranscriptItem> appended, long removed)
            implements SessionEvent {
        public TranscriptChanged {
            Objects.requireNonNull(sessionId, "sessionId");
            appended = List.copyOf(appended);
        }
    }

    /** A session was made by {@code Sessions.fork}; {@code session.forkedFrom()} names its parent. */
    record Forked(Session session) implements SessionEvent {
        @Override
        public SessionId sessionId() {
            return session.id();
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
