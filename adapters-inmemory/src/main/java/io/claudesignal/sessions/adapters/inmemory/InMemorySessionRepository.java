package io.claudesignal.sessions.adapters.inmemory;

import io.claudesignal.sessions.application.port.out.DuplicateSessionException;
import io.claudesignal.sessions.application.port.out.PageCursor;
import io.claudesignal.sessions.application.port.out.PageRequest;
import io.claudesignal.sessions.application.port.in.HealthCheck;
import io.claudesignal.sessions.application.port.out.SessionRepository;
import io.claudesignal.sessions.application.port.out.StorageDiagnostics;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.SessionSummary;
import io.claudesignal.sessions.domain.StatusMismatchException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.UnaryOperator;

/**
 * Sessions in memory, with the semantics of a database: every method is atomic under one lock, so a
 * checked write is checked at the moment it writes; sessions are immutable values, so callers never
 * share state with the store; lists come newest first from an ordered index, as a database index
 * would serve them. Nothing survives the process.
 */
public final class InMemorySessionRepository implements SessionRepository, StorageDiagnostics {

    /** The list order: newest first, ties broken by id, both descending. */
    private static final Comparator<PageCursor> NEWEST_FIRST =
            Comparator.comparing(PageCursor::createdAt).thenComparing(PageCursor::id).reversed();

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<SessionId, Session> byId = new HashMap<>();
    private final NavigableMap<PageCursor, SessionId> byAge = new TreeMap<>(NEWEST_FIRST);

    @Override
    public void insert(Session session) {
        Objects.requireNonNull(session, "session");
        lock.writeLock().lock();
        try {
            if (byId.containsKey(session.id())) {
                throw new DuplicateSessionException(session.id());
            }
            byId.put(session.id(), session);
            byAge.put(key(session), session.id());
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public Optional<Session> findById(SessionId id) {
        lock.readLock().lock();
        try {
            return Optional.ofNullable(byId.get(id));
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<SessionSummary> findPage(PageRequest request) {
        lock.readLock().lock();
        try {
            NavigableMap<PageCursor, SessionId> rest =
                    request.after().map(after -> byAge.tailMap(after, false)).orElse(byAge);
            List<SessionSummary> page = new ArrayList<>(Math.min(request.limit(), 64));
            for (SessionId id : rest.values()) {
                Session s = byId.get(id);
                if (matches(request, s)) {
                    page.add(s.summary());
                    if (page.size() == request.limit()) {
                        break;
                    }
                }
            }
            return page;
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Session compareAndSetStatus(SessionId id, SessionStatus expected, SessionStatus target, Instant at) {
        return update(id, current -> {
            if (current.status() != expected) {
                throw new StatusMismatchException(id, expected, current.status());
            }
            return current.transitionTo(target, at);
        });
    }

    @Override
    public Session update(SessionId id, UnaryOperator<Session> change) {
        lock.writeLock().lock();
        try {
            Session current = byId.get(id);
            if (current == null) {
                throw new SessionNotFoundException(id);
            }
            Session next = change.apply(current);
            if (next != current) {
                byId.put(id, next);
            }
            return next;
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void delete(SessionId id, SessionStatus required) {
        lock.writeLock().lock();
        try {
            Session current = byId.get(id);
            if (current == null) {
                throw new SessionNotFoundException(id);
            }
            if (current.status() != required) {
                throw new StatusMismatchException(id, required, current.status());
            }
            byId.remove(id);
            byAge.remove(key(current));
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public List<HealthCheck> run() {
        lock.readLock().lock();
        try {
            boolean consistent = byId.size() == byAge.size();
            return List.of(
                    HealthCheck.ok("store", "in memory: nothing is kept after the process ends"),
                    new HealthCheck("index", consistent, byId.size() + " sessions, " + byAge.size() + " index entries"));
        } finally {
            lock.readLock().unlock();
        }
    }

    private static PageCursor key(Session s) {
        return new PageCursor(s.createdAt(), s.id());
    }

    private static boolean matches(PageRequest request, Session s) {
        return (request.statuses().isEmpty() || request.statuses().contains(s.status()))
                && request.projectPath().map(s.projectPath()::equals).orElse(true)
                && request.threadId().map(s.threadId()::equals).orElse(true);
    }
}
