package io.claudesignal.sessions.application.port.in;

import io.claudesignal.sessions.domain.SessionStatus;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which sessions {@link Maintenance#exportTo} writes: those in one of {@code statuses} (all when
 * empty) created at or after {@code since} (all when empty).
 */
public record ExportRequest(Set<SessionStatus> statuses, Optional<Instant> since, Progress progress) {

    public ExportRequest {
        statuses = Set.copyOf(statuses);
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(progress, "progress");
    }

    /** Every session. */
    public static ExportRequest all() {
        return new ExportRequest(Set.of(), Optional.empty(), Progress.NONE);
    }
}
