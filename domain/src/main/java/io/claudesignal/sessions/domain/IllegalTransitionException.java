package io.claudesignal.sessions.domain;

/** The lifecycle never allows going from {@link #from()} to {@link #to()}. */
public final class IllegalTransitionException extends ConflictException {

    private final SessionStatus from;
    private final SessionStatus to;

    public IllegalTransitionException(SessionId id, SessionStatus from, SessionStatus to) {
        super(id, "session " + id + " cannot go from " + from + " to " + to);
        this.from = from;
        this.to = to;
    }

    public SessionStatus from() {
        return from;
    }

    public SessionStatus to() {
        return to;
    }
}
