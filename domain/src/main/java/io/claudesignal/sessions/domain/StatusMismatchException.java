package io.claudesignal.sessions.domain;

/** The caller expected the session in one status and it is in another (someone else changed it first). */
public final class StatusMismatchException extends ConflictException {

    private final SessionStatus expected;
    private final SessionStatus actual;

    public StatusMismatchException(SessionId id, SessionStatus expected, SessionStatus actual) {
        super(id, "session " + id + " is " + actual + ", not " + expected);
        this.expected = expected;
        this.actual = actual;
    }

    public SessionStatus expected() {
        return expected;
    }

    public SessionStatus actual() {
        return actual;
    }
}
