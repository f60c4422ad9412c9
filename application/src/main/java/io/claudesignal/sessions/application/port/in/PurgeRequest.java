package io.claudesignal.sessions.application.port.in;

import java.time.Instant;
import java.util.Objects;

/**
 * What {@link Maintenance#purge} removes: the TERMINATED, unpinned sessions last changed before
 * {@code terminatedBefore}.
 */
public record PurgeRequest(Instant terminatedBefore, Progress progress) {

    public PurgeRequest {
        Objects.requireNonNull(terminatedBefore, "terminatedBefore");
        Objects.requireNonNull(progress, "progress");
    }

    public PurgeRequest(Instant terminatedBefore) {
        this(terminatedBefore, Progress.NONE);
    }
}
