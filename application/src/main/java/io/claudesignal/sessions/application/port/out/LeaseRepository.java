package io.claudesignal.sessions.application.port.out;

import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.DaemonRunningException;
import io.claudesignal.sessions.domain.Lease;
import io.claudesignal.sessions.domain.LeaseHeldException;
import io.claudesignal.sessions.domain.LeaseLostException;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.StatusMismatchException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Where daemons' leases on the sessions they run, and the daemons' incarnations, are kept; each
 * method is one atomic step.
 *
 * <p><b>Lease time.</b> The methods that decide about expiry take a {@link Clock} and read "now" inside
 * their own transaction, never before it (a write may wait for the database's lock). A store that has
 * a clock of its own that every client shares (PostgreSQL's server) uses that one instead, so that a
 * client whose clock is skewed cannot take a live lease.
 */
public interface LeaseRepository {

    /** The token a lease gets when a newer incarnation of its daemon fenced it: never a real claim's. */
    long FENCED_TOKEN = 0;
    /** The expiry a fenced lease gets: long past on every clock, so recovery takes its session at once. */
    Instant FENCED_EXPIRY = Instant.EPOCH;

    /**
     * Starts a new incarnation of the daemon {@code owner}, in one atomic step: numbers it one past the
     * newest recorded one, and ends every lease the daemon's older incarnations hold (token
     * {@link #FENCED_TOKEN}, expiry {@link #FENCED_EXPIRY}): their writes and renewals are refused from
     * now on, and {@code recoverAbandoned} pauses their sessions at once.
     *
     * <p>A store that can tell whether another live process runs under this name refuses the start
     * while it does, and otherwise holds the name until it is closed.
     *
     * @return the new incarnation's number, 1 for the daemon's first start on this store
     * @throws DaemonRunningException when another live process runs under this name
     */
    long startIncarnation(Actor owner, Clock clock);

    /** The newest incarnation of {@code owner} started on this store; 0 when none was. */
    long incarnation(Actor owner);

    /**
     * Gives incarnation {@code incarnation} of {@code owner} the lease on an ACTIVE session for
     * {@code duration}: when there is none, when the stored one has expired, or when it is this
     * owner's (then its token is kept and only the expiry moves, unless a newer incarnation fenced it).
     *
     * @param token the token of a new claim
     * @return the lease as stored
     * @throws LeaseLostException       when a newer incarnation of {@code owner} started
     * @throws LeaseHeldException       when another owner's lease is live
     * @throws StatusMismatchException  when the session is not ACTIVE
     * @throws SessionNotFoundException when there is no such session
     */
    Lease claim(SessionId id, Actor owner, long incarnation, long token, Clock clock, Duration duration);

    /**
     * Renews for {@code duration} every one of {@code held} that is still the stored claim (same owner
     * and token), whether or not it expired meanwhile: a lease that ran out but was not taken (no other
     * claim, no recovery, no fencing) still has its token in the store, and nobody else has written
     * under it. Nothing is renewed once a newer incarnation of {@code owner} started.
     *
     * @return the leases renewed
     */
    List<Lease> renew(Actor owner, long incarnation, Collection<Lease> held, Clock clock, Duration duration);

    /**
     * Deletes the lease if it is still this claim ({@link Lease#releases}), and in the same step puts the
     * session's taken inbox messages back to waiting; false, changing nothing, when it was not (lost,
     * or never held).
     */
    boolean release(Lease lease);

    Optional<Lease> find(SessionId id);

    /**
     * Where this store is, as a short stable text (a hash of the database file's path, of the
     * server and schema): part of a daemon's default name, so that one host's daemons on two
     * databases have different names.
     */
    String storeTag();

    /** A store's tag made from the text of its location: the first 8 hex digits of its SHA-256. */
    static String tagOf(String location) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(location.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest, 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
