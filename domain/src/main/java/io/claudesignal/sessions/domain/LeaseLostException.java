package io.claudesignal.sessions.domain;

/**
 * A write fenced by a lease was refused: the lease expired, or the session was recovered or claimed
 * by another daemon since. Nothing was written; the daemon must stop running the session.
 */
public final class LeaseLostException extends ConflictException {

    private final Lease lost;

    public LeaseLostException(Lease lost) {
        super(lost.sessionId(), "session " + lost.sessionId() + ": the lease of " + lost.owner()
                + " was lost (expired, or the session was recovered or claimed by another daemon); nothing was written");
        this.lost = lost;
    }

    /** The lease the writer believed it held. */
    public Lease lost() {
        return lost;
    }
}
