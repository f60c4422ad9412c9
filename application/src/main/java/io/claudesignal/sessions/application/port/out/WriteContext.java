package io.claudesignal.sessions.application.port.out;

import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Lease;
import io.claudesignal.sessions.domain.LeaseLostException;
import io.claudesignal.sessions.domain.Transition;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Who writes, when, why, and under which lease: what a store needs besides the change itself to
 * record a transition in the history and to fence a daemon's writes, in the same atomic step.
 *
 * <p><b>When.</b> A write made by the API reads its time from a clock <em>inside</em> the store's
 * atomic step, once it holds what orders the writes to the session (SQLite's writer, PostgreSQL's row
 * lock, the in-memory store's lock): read before, a write that waited for another would record an
 * earlier time after it, and the history would run backwards. A store calls {@link #stamp()} at that
 * point (again on each attempt, when it retries the step); {@link #at()} is the time stamped, read
 * on first use when no stamp was taken. The time is kept to the microsecond, the precision every store
 * holds, so the time stored and the time an event carries are the same.
 */
public final class WriteContext {

    private static final AtomicLong WRITES = new AtomicLong();

    private final Clock clock;
    private final Actor actor;
    private final String reason;
    private final Optional<Lease> fence;
    private final long writeId;
    private volatile Instant at;

    /**
     * A write at a fixed time.
     *
     * @param fence when present, the store refuses the write with a {@link LeaseLostException} unless,
     *              at {@code at}, the session's stored lease is this same claim and has not expired
     */
    public WriteContext(Instant at, Actor actor, String reason, Optional<Lease> fence) {
        this(Clock.fixed(micros(Objects.requireNonNull(at, "at")), ZoneOffset.UTC), actor, reason, fence);
    }

    private WriteContext(Clock clock, Actor actor, String reason, Optional<Lease> fence, long writeId) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.actor = Objects.requireNonNull(actor, "actor");
        Transition.validateReason(reason);
        this.reason = reason;
        this.fence = Objects.requireNonNull(fence, "fence");
        this.writeId = writeId;
    }

    private WriteContext(Clock clock, Actor actor, String reason, Optional<Lease> fence) {
        this(clock, actor, reason, fence, WRITES.incrementAndGet());
    }

    /** A write whose time the store reads from {@code clock} once it holds the session (see {@link #stamp()}). */
    public static WriteContext timedBy(Clock clock, Actor actor, String reason, Optional<Lease> fence) {
        return new WriteContext(clock, actor, reason, fence);
    }

    /** An unfenced write for {@link Transition#USER}. */
    public static WriteContext by(Actor actor, Instant at) {
        return new WriteContext(at, actor, Transition.USER, Optional.empty());
    }

    /** The same write (the same number) under another fence, its time still read by the store: a retry after a renewal. */
    public WriteContext withFence(Optional<Lease> newFence) {
        return new WriteContext(clock, actor, reason, newFence, writeId);
    }

    /**
     * Reads the write's time now, to the microsecond, and keeps it as {@link #at()}: called by the store
     * once the write holds what orders it. A write at a fixed time keeps that time.
     */
    public Instant stamp() {
        Instant now = micros(clock.instant());
        at = now;
        return now;
    }

    /** The time of the write: the last {@link #stamp()}, taken now if none was. */
    public Instant at() {
        Instant stamped = at;
        return stamped != null ? stamped : stamp();
    }

    public Actor actor() {
        return actor;
    }

    public String reason() {
        return reason;
    }

    public Optional<Lease> fence() {
        return fence;
    }

    /**
     * This write's number, unique in the process: the store records it with the write's change-log
     * rows, so that the handle that made the write recognises them.
     */
    public long writeId() {
        return writeId;
    }

    /**
     * Whether {@code stored} (the lease the store holds now) lets this write through: any write
     * without a fence does; a fenced one only under the same, unexpired claim.
     */
    public boolean admittedBy(Optional<Lease> stored) {
        return admittedBy(stored, at());
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
        requireAdmittedBy(stored, at());
    }

    /** As {@link #requireAdmittedBy(Optional)}, with expiry compared with {@code now} (see {@link #admittedBy(Optional, Instant)}). */
    public void requireAdmittedBy(Optional<Lease> stored, Instant now) {
        if (!admittedBy(stored, now)) {
            throw new LeaseLostException(fence.orElseThrow());
        }
    }

    @Override
    public String toString() {
        return "WriteContext[at=" + at + ", actor=" + actor + ", reason=" + reason + ", fence=" + fence + ", writeId=" + writeId + "]";
    }

    private static Instant micros(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }
}
