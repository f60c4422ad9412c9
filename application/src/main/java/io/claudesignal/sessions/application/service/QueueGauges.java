package io.claudesignal.sessions.application.service;

import io.claudesignal.sessions.application.port.out.InboxRepository;
import io.claudesignal.sessions.application.port.out.OutboxRepository;
import io.claudesignal.sessions.application.port.out.Persistence;
import io.claudesignal.sessions.application.port.out.StoreMetrics;
import java.util.function.LongSupplier;

/**
 * The depths of a store's inbox and outbox as {@link StoreMetrics} reads them: one count each time,
 * {@code NaN} when the store cannot answer (closed, failing), since a metric must never throw.
 */
public final class QueueGauges implements StoreMetrics.QueueDepths {

    private final InboxRepository inbox;
    private final OutboxRepository outbox;

    public QueueGauges(Persistence persistence) {
        this.inbox = persistence.inbox();
        this.outbox = persistence.outbox();
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
