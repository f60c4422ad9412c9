package io.claudesignal.sessions.application.port.out;

import io.claudesignal.sessions.domain.SessionStatus;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a store must read for one page: the sessions matching every present filter (any of
 * {@code statuses} when not empty), strictly after {@code after}, newest first, at most {@code limit}.
 */
public record PageRequest(
        Set<SessionStatus> statuses,
        Optional<String> projectPath,
        Optional<String> threadId,
        Optional<PageCursor> after,
        int limit) {

    public PageRequest {
        statuses = Set.copyOf(statuses);
        Objects.requireNonNull(projectPath, "projectPath");
        Objects.requireNonNull(threadId, "threadId");
        Objects.requireNonNull(after, "after");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
    }
}
