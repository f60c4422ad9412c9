package io.claudesignal.sessions.application.port.in;

import io.claudesignal.sessions.domain.SessionSummary;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a list, newest first. {@link #nextCursor()} is present when more sessions follow; pass
 * it to {@link SessionQuery#after(String)}. Cursors are positions, not snapshots: sessions created
 * after the first page was read do not shift later pages.
 */
public record SessionPage(List<SessionSummary> sessions, Optional<String> nextCursor) {

    public SessionPage {
        sessions = List.copyOf(sessions);
        Objects.requireNonNull(nextCursor, "nextCursor");
    }
}
