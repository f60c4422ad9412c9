package io.claudesignal.sessions.application.service;

import io.claudesignal.sessions.application.port.out.ApprovalRepository;
import io.claudesignal.sessions.application.port.out.InboxRepository;
import io.claudesignal.sessions.application.port.out.OutboxRepository;
import io.claudesignal.sessions.application.port.out.Persistence;
import io.claudesignal.sessions.application.port.out.StoreMetrics;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The depths of a store's approvals, inbox and outbox as {@link StoreMetrics} reads them: one count each time,
 * {@code NaN} when the store cannot answer (closed, failing), since a metric must never throw.
 */
public final class QueueGauges implements StoreMetrics.QueueDepths {

    private final ApprovalRepository approvals;
    private final InboxRepository inbox;
    private final OutboxRepository outbox;
    private final Clock clock;

    /** {@code clock} tells a pending approval from an expired one, as the service's does. */
    public QueueGauges(Persistence persistence, Clock clock) {
        this.approvals = persistence.approvals();
        this.inbox = persistence.inbox();
        this.outbox = persistence.outbox();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public double pendingApprovals() {
        return read(() -> approvals.pending(Optional.empty(), clock).size());
    }

    @Override
    public double waitingMessages() {
        return read(inbox::waiting);
    }

    @Override
    public double unsentReplies() {
        return read(() -> outbox.depth().unsent());
    }

    @Override
    public double deadReplies() {
        return read(() -> outbox.depth().dead());
    }

    private static double read(LongSupplier count) {
        try {
            return count.getAsLong();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}
