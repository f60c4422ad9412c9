package io.claudesignal.sessions.application.port.in;

import io.claudesignal.sessions.domain.Lease;
import io.claudesignal.sessions.domain.LeaseHeldException;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.StatusMismatchException;
import java.util.List;
import java.util.Optional;

/**
 * A daemon's ownership of the sessions it runs. The daemon claims each ACTIVE session it starts a
 * Claude Code process for and renews its leases by heartbeat; once a lease is claimed, every write
 * this handle makes to that session is fenced by it: refused with a
 * {@link io.claudesignal.sessions.domain.LeaseLostException} if the lease expired or was taken over,
 * so a daemon that stalled past its lease cannot overwrite what a newer owner did. A lost lease keeps
 * fencing: every later write of this handle to that session is refused too, until it claims the
 * session again or {@linkplain #release releases} it (to take it up again as a fresh start).
 *
 * <p>See {@code docs/leases.md} for the protocol, its failure cases and the defaults.
 */
public interface Leases {

    /**
     * Claims an ACTIVE session for this handle's actor, for the configured lease duration.
     *
     * @throws LeaseHeldException       when another owner's lease is still live
     * @throws StatusMismatchException  when the session is not ACTIVE
     * @throws SessionNotFoundException when there is no such session
     */
    Lease claim(SessionId id);

    /**
     * Renews every lease this handle holds (the heartbeat does this on its own); leases found lost
     * are dropped from those held and fence no more writes.
     *
     * @return the ids of the sessions whose lease was lost since the last renewal
     */
    List<SessionId> renew();

    /**
     * Gives up the lease on a session this handle runs; harmless when it holds none. The inbox messages
     * it had taken and not finished wait again, for the next holder (unless its lease was lost meanwhile:
     * then they are the new holder's).
     */
    void release(SessionId id);

    /** The lease this handle holds on a session, as of its last claim or renewal. */
    Optional<Lease> held(SessionId id);

    /** The current lease on a session, whoever holds it, as stored. */
    Optional<Lease> lease(SessionId id);

    /** The sessions this handle holds leases on. */
    List<Lease> heldLeases();
}
