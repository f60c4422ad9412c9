package io.claudesignal.sessions.domain;

/**
 * A write fenced by a lease was refused: the lease expired without renewal, or the session was
 * recovered, paused or terminated, claimed by another daemon, or its daemon's name was taken by a
 * newer incarnation since. Nothing was written; the daemon must stop running the session.
 * {@link #getMessage()} says which of these the store recorded, when it could tell.
 */
public final class LeaseLostException extends ConflictException {

    private final Lease lost;

    public LeaseLostException(Lease lost) {
        this(lost, "expired, or the session was recovered or claimed by another daemon");
    }

    /** @param what what happened to the lease, as the store recorded it ("claimed by daemon:b at ...") */
    public LeaseLostException(Lease lost, String what) {
        super(lost.sessionId(), "session " + lost.sessionId() + ": the lease of " + lost.owner()
                + " was lost (" + what + "); nothing was written");
        this.lost = lost;
    }

    /** The lease the writer believed it held. */
    public Lease lost() {
        return lost;
    }
}
