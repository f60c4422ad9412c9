package io.claudesignal.sessions.application.port.out;

import java.util.Objects;

/** The outbound ports one adapter provides, over one store so that they share its transactions. */
public record Persistence(SessionRepository sessions, LeaseRepository leases, ActivityRepository activities) {

    public Persistence {
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(leases, "leases");
        Objects.requireNonNull(activities, "activities");
    }

    /** The ports of an adapter that implements all three in one class. */
    public static <T extends SessionRepository & LeaseRepository & ActivityRepository> Persistence of(T store) {
        return new Persistence(store, store, store);
    }
}
