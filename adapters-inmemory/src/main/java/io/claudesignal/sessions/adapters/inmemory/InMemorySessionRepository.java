package io.claudesignal.sessions.adapters.inmemory;

import io.claudesignal.sessions.application.port.out.ActivityRepository;
import io.claudesignal.sessions.application.port.out.Change;
import io.claudesignal.sessions.domain.DuplicateSessionException;
import io.claudesignal.sessions.application.port.out.LeaseRepository;
import io.claudesignal.sessions.application.port.out.Persistence;
import io.claudesignal.sessions.application.port.out.WriteContext;
import io.claudesignal.sessions.domain.Activity;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.CatchUp;
import io.claudesignal.sessions.domain.Lease;
import io.claudesignal.sessions.domain.Transition;
import io.claudesignal.sessions.application.port.out.PageCursor;
import io.claudesignal.sessions.application.port.out.PageRequest;
import io.claudesignal.sessions.application.port.out.HealthCheck;
import io.claudesignal.sessions.application.port.out.SessionRepository;
import io.claudesignal.sessions.application.port.out.StoreOperations;
import io.claudesignal.sessions.application.port.out.StorageDiagnostics;
import io.claudesignal.sessions.domain.IdPrefix;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.SessionSummary;
import io.claudesignal.sessions.domain.StatusMismatchException;
import java.time.Clock;
import java.util.function.Supplier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
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
public final class InMemorySessionRepository
        implements SessionRepository, LeaseRepository, ActivityRepository, StorageDiagnostics {

    /** The list order: newest first, ties broken by id, both descending. */
    private static final Comparator<PageCursor> NEWEST_FIRST =
            Comparator.comparing(PageCursor::createdAt).thenComparing(PageCursor::id).reversed();

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    // Sorted like the SQL stores' primary keys, so that a prefix is one range of it.
    final NavigableMap<SessionId, Session> byId = new TreeMap<>();
    final NavigableMap<PageCursor, SessionId> byAge = new TreeMap<>(NEWEST_FIRST);
    final Map<SessionId, List<Transition>> histories = new HashMap<>();
    // Under this store's lock, so that deleting or forking a session and its transcript is one step.
    private final InMemoryTranscriptRepository transcripts = new InMemoryTranscriptRepository(this);
    // Under this store's lock too, for the same reason and so that an entry is fenced in its step.
    private final InMemoryActivityLog activityLog = new InMemoryActivityLog(this);
    // Under this store's lock too: a status change drops the session's lease in its own step.
    private final InMemoryLeases leases = new InMemoryLeases(this);
    private final InMemoryChangeLog changes = new InMemoryChangeLog(lock);
    // Under this store's lock too: approvals, inbox and outbox go with their session's steps.
    private final InMemoryInFlight inFlight = new InMemoryInFlight(this);
    private final InMemoryRecovery recovery = new InMemoryRecovery(this);

    /** The transcripts of these sessions. */
    public InMemoryTranscriptRepository transcripts() {
        return transcripts;
    }

    /** Pinning, purge, export and import and sizes over these sessions (backup is refused: no file). */
    public StoreOperations operations() {
        return new InMemoryOperations(this);
    }

    /** Every port over this store. */
    public Persistence persistence() {
        return Persistence.of(this, transcripts, changes.feedFor(0)).withApprovals(inFlight.approvals())
                .withMessages(inFlight.inbox(), inFlight.outbox());
    }

    /** The approvals, inbox and outbox of these sessions. */
    InMemoryInFlight inFlight() {
        return inFlight;
    }

    /** Drops what a deleted session owns besides itself; the caller holds the write lock. */
    void forgetOwned(SessionId id) {
        leases.drop(id);
        activityLog.forget(id);
        transcripts.forget(id);
        inFlight.forget(id);
    }

    /** The change log; appended to under the write lock, in the step that makes the change. */
    InMemoryChangeLog changes() {
        return changes;
    }

    /** The activity logs of these sessions, for the operations that archive, restore and purge them. */
    InMemoryActivityLog activityLog() {
        return activityLog;
    }

    /** The leases on these sessions, for the purge, which drops them with their sessions. */
    InMemoryLeases leases() {
        return leases;
    }

    @Override
    public void insert(Session session, WriteContext write) {
        Objects.requireNonNull(session, "session");
        lock.writeLock().lock();
        try {
            if (byId.containsKey(session.id())) {
                throw new DuplicateSessionException(session.id());
            }
            byId.put(session.id(), session);
            byAge.put(key(session), session.id());
            changes.record(Change.Entry.of(session.id(), Change.Kind.CREATED, write));
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
    public List<SessionId> findIdsByPrefix(IdPrefix prefix, int limit) {
        lock.readLock().lock();
        try {
            return byId.subMap(prefix.lowest(), true, prefix.highest(), true).keySet().stream().limit(limit).toList();
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
    public Session compareAndSetStatus(SessionId id, SessionStatus expected, SessionStatus target, WriteContext write) {
        return update(id, current -> {
            if (current.status() != expected) {
                throw new StatusMismatchException(id, expected, current.status());
            }
            return current.transitionTo(target, write.at());
        }, write).written();
    }

    @Override
    public Updated update(SessionId id, UnaryOperator<Session> change, WriteContext write) {
        lock.writeLock().lock();
        try {
            Session current = existing(id);
            admit(id, write);
            Session next = change.apply(current);
            if (next != current) {
                byId.put(id, next);
                recordStatusChange(current, next, write);
            }
            return new Updated(current, next);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void delete(SessionId id, SessionStatus required) {
        lock.writeLock().lock();
        try {
            Session current = existing(id);
            if (current.status() != required) {
                throw new StatusMismatchException(id, required, current.status());
            }
            byId.remove(id);
            byAge.remove(key(current));
            histories.remove(id);
            forgetOwned(id);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public List<Transition> history(SessionId id) {
        lock.readLock().lock();
        try {
            existing(id);
            return List.copyOf(histories.getOrDefault(id, List.of()));
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public List<Transition> recoverAbandoned(Clock clock, Duration grace, Actor actor) {
        return underWriteLock(() -> recovery.recoverAbandoned(clock, grace, actor));
    }

    // ---- leases: kept by the InMemoryLeases, under this store's lock ----

    @Override
    public long startIncarnation(Actor owner, Clock clock) {
        return leases.startIncarnation(owner, clock);
    }

    @Override
    public long incarnation(Actor owner) {
        return leases.incarnation(owner);
    }

    @Override
    public String storeTag() {
        return "memory-" + Integer.toHexString(System.identityHashCode(this));
    }

    @Override
    public Lease claim(SessionId id, Actor owner, long incarnation, long token, Clock clock, Duration duration) {
        return leases.claim(id, owner, incarnation, token, clock, duration);
    }

    @Override
    public List<Lease> renew(Actor owner, long incarnation, Collection<Lease> held, Clock clock, Duration duration) {
        return leases.renew(owner, incarnation, held, clock, duration);
    }

    @Override
    public boolean release(Lease lease) {
        return leases.release(lease);
    }

    @Override
    public Optional<Lease> find(SessionId id) {
        return leases.find(id);
    }

    // ---- activity log: kept by the InMemoryActivityLog, under this store's lock ----

    @Override
    public Activity append(SessionId id, String type, String details, WriteContext write, int keep) {
        return activityLog.append(id, type, details, write, keep);
    }

    @Override
    public List<Activity> list(SessionId id) {
        return activityLog.list(id);
    }

    @Override
    public CatchUp catchUp(SessionId id) {
        return activityLog.catchUp(id);
    }

    @Override
    public long acknowledge(SessionId id, long throughSeq) {
        return activityLog.acknowledge(id, throughSeq);
    }

    // ---- shared rules ----

    ReadWriteLock lock() {
        return lock;
    }

    /** Runs {@code step} under the store's write lock: the one lock every part of this store shares. */
    <T> T underWriteLock(Supplier<T> step) {
        lock.writeLock().lock();
        try {
            return step.get();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Runs {@code step} under the store's read lock. */
    <T> T underReadLock(Supplier<T> step) {
        lock.readLock().lock();
        try {
            return step.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public Session fork(Session child, WriteContext write) {
        return transcripts.fork(child, write);
    }

    /** Stores a forked session with its first history entry; the caller holds the write lock. */
    void insertForked(Session child, Transition entry, WriteContext write) {
        if (byId.containsKey(child.id())) {
            throw new DuplicateSessionException(child.id());
        }
        byId.put(child.id(), child);
        byAge.put(key(child), child.id());
        histories.computeIfAbsent(child.id(), k -> new ArrayList<>()).add(entry);
        changes.record(Change.Entry.of(child.id(), Change.Kind.FORKED, write));
    }

    Session existing(SessionId id) {
        Session current = byId.get(id);
        if (current == null) {
            throw new SessionNotFoundException(id);
        }
        return current;
    }

    /** Refuses a fenced write whose lease no longer holds. */
    void admit(SessionId id, WriteContext write) {
        write.requireAdmittedBy(Optional.ofNullable(leases.current(id)));
    }

    /** The history entry and lease rule of a status change; returns the entry, or null when none. */
    Transition recordStatusChange(Session before, Session after, WriteContext write) {
        if (after.status() != SessionStatus.ACTIVE) {
            leases.drop(after.id());
            if (before.status() == SessionStatus.ACTIVE) {
                inFlight.leftActive(after.id(), write.actor(), write.at());
            }
        }
        if (before.status() == after.status()) {
            if (before.context() != after.context()) { // the same instance: untouched
                changes.record(Change.Entry.of(after.id(), Change.Kind.CONTEXT_CHANGED, write));
            }
            return null;
        }
        Transition t = new Transition(after.id(), before.status(), after.status(), write.at(), write.reason(), write.actor());
        histories.computeIfAbsent(after.id(), k -> new ArrayList<>()).add(t);
        changes.record(Change.Entry.transition(t.sessionId(), t.from(), t.to(), write));
        return t;
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

    static PageCursor key(Session s) {
        return new PageCursor(s.createdAt(), s.id());
    }

    private static boolean matches(PageRequest request, Session s) {
        return (request.statuses().isEmpty() || request.statuses().contains(s.status()))
                && request.projectPath().map(s.projectPath()::equals).orElse(true)
                && request.threadId().map(s.threadId()::equals).orElse(true);
    }
}
