package io.claudesignal.sessions.domain;

/** Another live daemon holds the session's lease; it cannot be claimed until that lease expires. */
public final class LeaseHeldException extends ConflictException {

    private final Lease holder;

    public LeaseHeldException(Lease holder) {
        super(holder.sessionId(), "session " + holder.sessionId() + " is run by " + holder.owner()
                + " (lease valid until " + holder.expiresAt() + ")");
        this.holder = holder;
    }

    public Lease holder() {
        return holder;
    }
}
