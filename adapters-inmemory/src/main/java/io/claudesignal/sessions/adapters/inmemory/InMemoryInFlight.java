package io.claudesignal.sessions.adapters.inmemory;

import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.SessionId;
import java.time.Instant;

/**
 * What is in flight between the person and Claude, per session: the approvals, the inbox and the
 * outbox (issue 24). Kept under the sessions' lock like every part of this store, so that the
 * session's own steps carry them: a status change out of ACTIVE cancels its pending approvals, a
 * recovery puts taken messages back to waiting, and a deleted or purged session takes them along.
 * The three steps below run with the caller holding the write lock.
 */
final class InMemoryInFlight {

    private final InMemoryApprovals approvals;
    private final InMemoryInbox inbox;
    private final InMemoryOutbox outbox;

    InMemoryInFlight(InMemorySessionRepository sessions) {
        this.approvals = new InMemoryApprovals(sessions);
        this.inbox = new InMemoryInbox(sessions);
        this.outbox = new InMemoryOutbox(sessions);
    }

    InMemoryApprovals approvals() {
        return approvals;
    }

    InMemoryInbox inbox() {
        return inbox;
    }

    InMemoryOutbox outbox() {
        return outbox;
    }

    /** The session left ACTIVE: its pending approvals are cancelled in the same step. */
    void leftActive(SessionId id, Actor by, Instant at) {
        approvals.cancelPending(id, by, at);
    }

    /** A recovery ran: a message is never left taken by a daemon that no longer runs its session. */
    void recovered() {
        inbox.requeueTaken();
    }

    /**
     * The holder's lease ended by a claim that took the session over ({@code Lease.takesOver}) or by its
     * own release ({@code Lease.releases}): what that holder took waits again.
     */
    void holdEnded(SessionId id) {
        inbox.requeueTaken(id);
    }

    /** The session is gone: so is everything in flight for it. */
    void forget(SessionId id) {
        approvals.forget(id);
        inbox.forget(id);
        outbox.forget(id);
    }
}
