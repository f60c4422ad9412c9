package io.claudesignal.sessions.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A session without its context: what a list shows, cheap to read whatever the context's size.
 *
 * @param pinned kept by retention whatever its age (see {@link Session#pinned()})
 */
public record SessionSummary(
        SessionId id,
        String projectPath,
        String threadId,
        SessionStatus status,
        Instant createdAt,
        Instant updatedAt,
        long version,
        boolean pinned) {

    public SessionSummary {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(projectPath, "projectPath");
        Objects.requireNonNull(threadId, "threadId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** A summary of a session that is not pinned. */
    public SessionSummary(SessionId id, String projectPath, String threadId, SessionStatus status, Instant createdAt,
            Instant updatedAt, long version) {
        this(id, projectPath, threadId, status, createdAt, updatedAt, version, false);
    }
}
