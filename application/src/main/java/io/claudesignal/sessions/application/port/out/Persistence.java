package io.claudesignal.sessions.application.port.out;

import java.util.Objects;

/** The outbound ports one adapter provides, over one store so that they share its transactions. */
public record Persistence(SessionRepository sessions, LeaseRepository leases, ActivityRepository activities,
        TranscriptRepository transcripts) {

    public Persistence {
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(leases, "leases");
        Objects.requireNonNull(activities, "activities");
        Objects.requireNonNull(transcripts, "transcripts");
    }

    /** The ports of an adapter that implements the first three in one class and the transcripts beside it. */
    public static <T extends SessionRepository & LeaseRepository & ActivityRepository> Persistence of(
            T store, TranscriptRepository transcripts) {
        return new Persistence(store, store, store, transcripts);
    }
}
