package io.claudesignal.sessions.domain;

/**
 * A session's inbox holds as many unhandled messages as it may ({@code limit}, waiting or taken): the
 * message was not stored. The daemon must take and finish some first; the sender may try again later.
 */
public final class InboxFullException extends ConflictException {

    private final int limit;

    public InboxFullException(SessionId id, int limit) {
        super(id, "the inbox of session " + id + " is full: " + limit + " messages wait to be handled");
        this.limit = limit;
    }

    public int limit() {
        return limit;
    }
}
