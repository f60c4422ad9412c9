package io.claudesignal.sessions.application.port.in;

import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.SessionStatus;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which sessions a list returns: filters (all optional, combined with AND; several statuses mean any
 * of them), a page size, and the cursor of the page to continue from.
 *
 * <pre>{@code
 * SessionPage page = sessions.list(SessionQuery.all().withStatus(ACTIVE, PAUSED).withLimit(20));
 * page.nextCursor().ifPresent(c -> sessions.list(query.after(c)));
 * }</pre>
 */
public record SessionQuery(
        Set<SessionStatus> statuses,
        Optional<String> projectPath,
        Optional<String> threadId,
        int limit,
        Optional<String> cursor) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 1000;

    public SessionQuery {
        statuses = statuses.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(statuses));
        Objects.requireNonNull(projectPath, "projectPath");
        Objects.requireNonNull(threadId, "threadId");
        Objects.requireNonNull(cursor, "cursor");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidInputException("limit", "must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
    }

    /** Every session, newest first, {@value #DEFAULT_LIMIT} a page. */
    public static SessionQuery all() {
        return new SessionQuery(Set.of(), Optional.empty(), Optional.empty(), DEFAULT_LIMIT, Optional.empty());
    }

    public SessionQuery withStatus(SessionStatus first, SessionStatus... more) {
        EnumSet<SessionStatus> set = EnumSet.of(first, more);
        return withStatuses(set);
    }

    public SessionQuery withStatuses(Collection<SessionStatus> wanted) {
        return new SessionQuery(Set.copyOf(wanted), projectPath, threadId, limit, cursor);
    }

    public SessionQuery withProjectPath(String path) {
        return new SessionQuery(statuses, Optional.of(path), threadId, limit, cursor);
    }

    public SessionQuery withThreadId(String thread) {
        return new SessionQuery(statuses, projectPath, Optional.of(thread), limit, cursor);
    }

    public SessionQuery withLimit(int pageSize) {
        return new SessionQuery(statuses, projectPath, threadId, pageSize, cursor);
    }

    /** The page that follows the one whose {@link SessionPage#nextCursor()} was {@code nextCursor}. */
    public SessionQuery after(String nextCursor) {
        return new SessionQuery(statuses, projectPath, threadId, limit, Optional.of(nextCursor));
    }
}
