package io.claudesignal.sessions.application.port.out;

import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Lease;
import io.claudesignal.sessions.domain.LeaseHeldException;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.StatusMismatchException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where daemons' leases on the sessions they run are kept; each method is one atomic step. */
public interface LeaseRepository {

    /**
     * Gives {@code owner} the lease on an ACTIVE session until {@code expiresAt}: when there is none,
     * when the stored one expired by {@code now}, or when {@code owner} holds it already (then its
     * token is kept and only the expiry moves).
     *
     * @param token the token of a new claim
     * @return the lease as stored
     * @throws LeaseHeldException       when another owner's lease is live at {@code now}
     * @throws StatusMismatchException  when the session is not ACTIVE
     * @throws SessionNotFoundException when there is no such session
     */
    Lease claim(SessionId id, Actor owner, long token, Instant now, Instant expiresAt);

    /**
     * Moves the expiry of every lease of {@code owner} that is still live at {@code now} to
     * {@code expiresAt}. An expired lease is never revived: its owner counts as gone, and its
     * session may already have been recovered.
     *
     * @return the leases renewed
     */
    List<Lease> renew(Actor owner, Instant now, Instant expiresAt);

    /** Deletes the lease if it is still this claim; false when it was not (lost, or never held). */
    boolean release(Lease lease);

    Optional<Lease> find(SessionId id);
}
