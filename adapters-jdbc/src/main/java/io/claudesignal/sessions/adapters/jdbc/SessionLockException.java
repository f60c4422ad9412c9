package io.claudesignal.sessions.adapters.jdbc;

import io.claudesignal.sessions.domain.SessionId;
import org.jooq.exception.DataAccessException;

/**
 * A statement that takes one session's row lock failed (on a server: perhaps another transaction held
 * the row past the lock timeout): carries the session, so that the adapter's error can say which one
 * was waited for. Translated by the adapter like any other {@link DataAccessException}; never crosses
 * a port.
 */
public final class SessionLockException extends DataAccessException {

    private final transient SessionId sessionId;

    /** @param doing what the statement did, such as "locking" or "changing the status of" */
    public SessionLockException(SessionId sessionId, String doing, Throwable cause) {
        super(doing + " session " + sessionId, cause);
        this.sessionId = sessionId;
    }

    public SessionId sessionId() {
        return sessionId;
    }
}
