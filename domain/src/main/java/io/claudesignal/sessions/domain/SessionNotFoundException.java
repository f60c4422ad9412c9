package io.claudesignal.sessions.domain;

/** No session with this id exists (it never did, or it was deleted). */
public final class SessionNotFoundException extends SessionsException {

    private final SessionId id;

    public SessionNotFoundException(SessionId id) {
        super("no session " + id);
        this.id = id;
    }

    public SessionId id() {
        return id;
    }
}
