package io.claudesignal.sessions.domain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

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
}
