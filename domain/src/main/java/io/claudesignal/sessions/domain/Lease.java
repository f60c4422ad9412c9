package io.claudesignal.sessions.domain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * A daemon's claim on a session it runs, valid until {@code expiresAt} unless renewed. An expired
 * lease means its owner is gone. The token tells one claim from the next: a write fenced by a lease
 * is refused once the stored lease has another owner or token, or has expired.
 */
public record Lease(SessionId sessionId, Actor owner, long token, Instant expiresAt) {

    public Lease {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(owner, "owner");
        expiresAt = Objects.requireNonNull(expiresAt, "expiresAt").truncatedTo(ChronoUnit.MICROS);
    }

    /** True while the lease holds: strictly before its expiry. */
    public boolean isLiveAt(Instant now) {
        return now.isBefore(expiresAt);
    }

    /** True when {@code other} is this same claim (same owner and token), however often renewed. */
    public boolean sameClaimAs(Lease other) {
        return other != null && owner.equals(other.owner) && token == other.token && sessionId.equals(other.sessionId);
    }

    /**
     * The lease a claim results in, the one rule every store applies under its own lock: only an
     * ACTIVE session can be claimed; a live lease of another owner refuses the claim; the same
     * owner's live lease keeps its token (claiming again renews, so its fenced writes still pass);
     * otherwise the claim is a new one under {@code token}.
     *
     * @param status  the session's status, read in the claim's atomic step
     * @param current the stored lease, read in the same step
     * @throws StatusMismatchException when the session is not ACTIVE
     * @throws LeaseHeldException      when another owner's lease is live at {@code now}
     */
    public static Lease decideClaim(SessionId sessionId, SessionStatus status, Optional<Lease> current, Actor owner,
            long token, Instant now, Instant expiresAt) {
        if (status != SessionStatus.ACTIVE) {
            throw new StatusMismatchException(sessionId, SessionStatus.ACTIVE, status);
        }
        Optional<Lease> live = current.filter(lease -> lease.isLiveAt(now));
        if (live.isPresent() && !live.get().owner().equals(owner)) {
            throw new LeaseHeldException(live.get());
        }
        return new Lease(sessionId, owner, live.map(Lease::token).orElse(token), expiresAt);
    }

    /**
     * Whether {@code claimed} takes the session over from the holder of the stored lease
     * {@code current} (expired, or the claim would be refused): another owner, or another incarnation
     * of this one (a new token). What that holder took and did not finish (its inbox messages) then waits
     * again, in the claim's own atomic step: its writes to the session are fenced off, so only the new
     * holder can finish them. Claiming one's own lease again takes nothing over.
     */
    public static boolean takesOver(Optional<Lease> current, Lease claimed) {
        return current.filter(held -> !held.owner().equals(claimed.owner()) || held.token() != claimed.token())
                .isPresent();
    }

    /**
     * Whether releasing {@code released} ends the stored lease {@code current}: only while it is still
     * that very claim (same owner and token). A release that ends it gives back, in its own atomic step,
     * what its holder took and did not finish (its inbox messages), as a {@linkplain #takesOver takeover}
     * does: the next holder takes them first, with no recovery in between. A stale release (the lease
     * lost, fenced or claimed by another since) ends nothing and gives back nothing: what is taken then
     * is the current holder's.
     */
    public static boolean releases(Optional<Lease> current, Lease released) {
        return current.filter(released::sameClaimAs).isPresent();
    }

    /**
     * The rule every store applies before a claim: incarnation {@code incarnation} of {@code owner} may
     * claim only while no newer one ({@code newest}, as the store records it) has started under its name.
     *
     * @throws LeaseLostException when a newer incarnation fenced this one
     */
    public static void requireNewestIncarnation(SessionId sessionId, Actor owner, long token, long incarnation,
            long newest) {
        if (newest > incarnation) {
            throw new LeaseLostException(new Lease(sessionId, owner, token, Instant.EPOCH),
                    "fenced by a newer incarnation of " + owner + " (incarnation " + newest + ")");
        }
    }
}
