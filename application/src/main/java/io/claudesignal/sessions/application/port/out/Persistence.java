package io.claudesignal.sessions.application.port.out;

import java.util.Objects;

/**
 * The outbound ports one adapter provides, over one store so that they share its transactions, and
 * the store's change log as this handle reads it.
 */
public record Persistence(SessionRepository sessions, LeaseRepository leases, ActivityRepository activities,
        TranscriptRepository transcripts, ChangeFeed changes, ApprovalRepository approvals) {

    public Persistence {
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(leases, "leases");
        Objects.requireNonNull(activities, "activities");
        Objects.requireNonNull(transcripts, "transcripts");
        Objects.requireNonNull(changes, "changes");
        Objects.requireNonNull(approvals, "approvals");
    }

    /** The ports of a store that keeps no approvals ({@link ApprovalRepository#unsupported()}). */
    public Persistence(SessionRepository sessions, LeaseRepository leases, ActivityRepository activities,
            TranscriptRepository transcripts, ChangeFeed changes) {
        this(sessions, leases, activities, transcripts, changes, ApprovalRepository.unsupported());
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

    /** As {@link #of(SessionRepository, TranscriptRepository, ChangeFeed)}, with the store's approvals. */
    public static <T extends SessionRepository & LeaseRepository & ActivityRepository> Persistence of(
            T store, TranscriptRepository transcripts, ChangeFeed changes, ApprovalRepository approvals) {
        return new Persistence(store, store, store, transcripts, changes, approvals);
    }
}
