package io.claudesignal.sessions.application.port.out;

import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Lease;
import io.claudesignal.sessions.domain.LeaseLostException;
import io.claudesignal.sessions.domain.Transition;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Who writes, when, why, and under which lease: what a store needs besides the change itself to
 * record a transition in the history and to fence a daemon's writes, in the same atomic step.
 *
 * @param fence   when present, the store refuses the write with a
 *                {@link io.claudesignal.sessions.domain.LeaseLostException} unless, at {@code at}, the
 *                session's stored lease is this same claim and has not expired
 * @param writeId this write's number, unique in the process: the store records it with the write's
 *                change-log rows, so that the handle that made the write recognises them
 */
public record WriteContext(Instant at, Actor actor, String reason, Optional<Lease> fence, long writeId) {

    private static final AtomicLong WRITES = new AtomicLong();

    public WriteContext {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Transition.validateReason(reason);
        Objects.requireNonNull(fence, "fence");
    }

    /** A write with a number of its own. */
    public WriteContext(Instant at, Actor actor, String reason, Optional<Lease> fence) {
        this(at, actor, reason, fence, WRITES.incrementAndGet());
    }

    /** The same write (same number) under another fence: a retry after a renewal. */
    public WriteContext withFence(Optional<Lease> other) {
        return new WriteContext(at, actor, reason, other, writeId);
    }

    /** An unfenced write for {@link Transition#USER}. */
    public static WriteContext by(Actor actor, Instant at) {
        return new WriteContext(at, actor, Transition.USER, Optional.empty());
    }

    /**
     * Whether {@code stored} (the lease the store holds now) lets this write through: any write
     * without a fence does; a fenced one only under the same, unexpired claim.
     */
    public boolean admittedBy(Optional<Lease> stored) {
        return admittedBy(stored, at);
    }

    /**
     * As {@link #admittedBy(Optional)}, with the lease's expiry compared with {@code now}: the store's
     * own clock, read in the write's transaction, where the store has one every client shares.
     */
    public boolean admittedBy(Optional<Lease> stored, Instant now) {
        return fence.isEmpty() || stored.filter(s -> s.sameClaimAs(fence.get()) && s.isLiveAt(now)).isPresent();
    }

    /**
     * Refuses this write unless {@code stored} admits it ({@link #admittedBy}): what every store does
     * with the lease it read in the write's own atomic step.
     *
     * @throws LeaseLostException naming the fence, when the stored lease is no longer that claim or expired
     */
    public void requireAdmittedBy(Optional<Lease> stored) {
        requireAdmittedBy(stored, at);
    }

    /** As {@link #requireAdmittedBy(Optional)}, with expiry compared with {@code now} (see {@link #admittedBy(Optional, Instant)}). */
    public void requireAdmittedBy(Optional<Lease> stored, Instant now) {
        if (!admittedBy(stored, now)) {
            throw new LeaseLostException(fence.orElseThrow());
        }
    }
}
