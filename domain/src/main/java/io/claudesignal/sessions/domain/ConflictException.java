package io.claudesignal.sessions.domain;

/**
 * The request was well formed but the session's current state refuses it. Nothing was written;
 * the caller may re-read the session and decide again.
 */
public abstract class ConflictException extends SessionsException {

    private final SessionId id;

    protected ConflictException(SessionId id, String message) {
        super(message);
        this.id = id;
    }

    /** The session concerned, or {@code null} only for a transition checked without a session. */
    public SessionId id() {
        return id;
    }
}
