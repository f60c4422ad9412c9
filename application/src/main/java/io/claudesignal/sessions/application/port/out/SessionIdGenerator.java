package io.claudesignal.sessions.application.port.out;

import io.claudesignal.sessions.domain.SessionId;

/** Makes the ids of new sessions; injected so that tests can make them predictable. */
@FunctionalInterface
public interface SessionIdGenerator {

    SessionId next();

    /** Random version-4 UUIDs, the production choice. */
    static SessionIdGenerator random() {
        return SessionId::random;
    }
}
