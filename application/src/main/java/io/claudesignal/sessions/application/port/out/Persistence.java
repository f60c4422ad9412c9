package io.claudesignal.sessions.application.port.out;

import java.util.Objects;

/**
 * The outbound ports one adapter provides, over one store so that they share its transactions, and
 * the store's change log as this handle reads it.
 */
public record Persistence(SessionRepository sessions, LeaseRepository leases, ActivityRepository activities,
        TranscriptRepository transcripts, ChangeFeed changes, ApprovalRepository approvals, InboxRepository inbox,
        OutboxRepository outbox) {

    public Persistence {
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(leases, "leases");
        Objects.requireNonNull(activities, "activities");
        Objects.requireNonNull(transcripts, "transcripts");
        Objects.requireNonNull(changes, "changes");
        Objects.requireNonNull(approvals, "approvals");
        Objects.requireNonNull(inbox, "inbox");
        Objects.requireNonNull(outbox, "outbox");
    }

    /**
     * The ports of a store that keeps no approvals, inbox nor outbox (each call to them is refused,
     * see {@code unavailable()} on each port); {@link #withApprovals} and {@link #withMessages} add them.
     */
    public Persistence(SessionRepository sessions, LeaseRepository leases, ActivityRepository activities,
            TranscriptRepository transcripts, ChangeFeed changes) {
        this(sessions, leases, activities, transcripts, changes, ApprovalRepository.unavailable(),
                InboxRepository.unavailable(), OutboxRepository.unavailable());
    }

    /** These ports with the store's approvals. */
    public Persistence withApprovals(ApprovalRepository newApprovals) {
        return new Persistence(sessions, leases, activities, transcripts, changes, newApprovals, inbox, outbox);
    }

    /** These ports with the store's inbox and outbox. */
    public Persistence withMessages(InboxRepository newInbox, OutboxRepository newOutbox) {
        return new Persistence(sessions, leases, activities, transcripts, changes, approvals, newInbox, newOutbox);
    }

    /** The ports of a store that keeps no change log: its handles hear only their own changes. */
    public Persistence(SessionRepository sessions, LeaseRepository leases, ActivityRepository activities,
            TranscriptRepository transcripts) {
        this(sessions, leases, activities, transcripts, ChangeFeed.none());
    }

    /** The ports of an adapter that implements the first three in one class and the transcripts beside it. */
    public static <T extends SessionRepository & LeaseRepository & ActivityRepository> Persistence of(
            T store, TranscriptRepository transcripts) {
        return new Persistence(store, store, store, transcripts);
    }

    /** As {@link #of(SessionRepository, TranscriptRepository)}, with the store's change log. */
    public static <T extends SessionRepository & LeaseRepository & ActivityRepository> Persistence of(
            T store, TranscriptRepository transcripts, ChangeFeed changes) {
        return new Persistence(store, store, store, transcripts, changes);
    }
}
