package io.claudesignal.sessions.adapters.inmemory;

import io.claudesignal.sessions.application.port.out.ApprovalRepository;
import io.claudesignal.sessions.application.port.out.Change;
import io.claudesignal.sessions.application.port.out.WriteContext;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Approval;
import io.claudesignal.sessions.domain.ApprovalId;
import io.claudesignal.sessions.domain.ApprovalNotFoundException;
import io.claudesignal.sessions.domain.IdPrefix;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.StatusMismatchException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The approvals of an {@link InMemorySessionRepository}'s sessions, under its lock: a status change
 * out of ACTIVE cancels a session's pending approvals in its own step, and deleting or purging a
 * session drops its approvals with it.
 */
final class InMemoryApprovals implements ApprovalRepository {

    private static final Comparator<Approval> OLDEST_FIRST =
            Comparator.comparing(Approval::requestedAt).thenComparing(Approval::id);

    private final InMemorySessionRepository sessions;
    // Sorted like the SQL stores' primary keys, so that a prefix is one range of it.
    private final NavigableMap<ApprovalId, Approval> byId = new TreeMap<>();
    private final Map<SessionId, NavigableMap<Long, ApprovalId>> bySession = new HashMap<>();
    private final Map<SessionId, Map<String, ApprovalId>> byKey = new HashMap<>();

    InMemoryApprovals(InMemorySessionRepository sessions) {
        this.sessions = sessions;
    }

    @Override
    public Requested request(ApprovalId id, SessionId sessionId, String request, String key, Duration timeout,
            WriteContext write, Clock clock) {
        return write(() -> {
            Session session = sessions.existing(sessionId);
            sessions.admit(sessionId, write);
            Instant now = now(clock);
            ApprovalId known = byKey.getOrDefault(sessionId, Map.of()).get(key);
            if (known != null) {
                return new Requested(byId.get(known).asOf(now), false);
            }
            if (session.status() != SessionStatus.ACTIVE) {
                throw new StatusMismatchException(sessionId, SessionStatus.ACTIVE, session.status());
            }
            NavigableMap<Long, ApprovalId> numbered = bySession.computeIfAbsent(sessionId, k -> new TreeMap<>());
            long seq = numbered.isEmpty() ? 1 : numbered.lastKey() + 1;
            Approval approval = Approval.requested(id, sessionId, seq, key, request, write.actor(), now, timeout);
            byId.put(id, approval);
            numbered.put(seq, id);
            byKey.computeIfAbsent(sessionId, k -> new HashMap<>()).put(key, id);
            sessions.changes().record(Change.Entry.of(sessionId, Change.Kind.APPROVAL_REQUESTED, seq, write));
            return new Requested(approval, true);
        });
    }

    @Override
    public Decided decide(ApprovalId id, Approval.Decision decision, Actor actor, Optional<String> note,
            WriteContext write, Clock clock) {
        return write(() -> {
            Approval stored = byId.get(id);
            if (stored == null) {
                throw new ApprovalNotFoundException(id);
            }
            Instant now = now(clock);
            boolean pending = stored.isPendingAt(now);
            Approval decided = stored.decide(decision, actor, note, now); // throws on a conflicting decision
            if (!pending) {
                return new Decided(decided, false);
            }
            byId.put(id, decided);
            sessions.changes().record(Change.Entry.of(stored.sessionId(), Change.Kind.APPROVAL_DECIDED,
                    stored.seq(), write));
            return new Decided(decided, true);
        });
    }

    @Override
    public Optional<Approval> find(ApprovalId id, Clock clock) {
        return read(() -> Optional.ofNullable(byId.get(id)).map(a -> a.asOf(now(clock))));
    }

    @Override
    public Optional<Approval> findBySeq(SessionId sessionId, long seq, Clock clock) {
        return read(() -> Optional.ofNullable(bySession.getOrDefault(sessionId, new TreeMap<>()).get(seq))
                .map(byId::get).map(a -> a.asOf(now(clock))));
    }

    @Override
    public List<Approval> pending(Optional<SessionId> sessionId, Clock clock) {
        return read(() -> {
            Instant now = now(clock);
            if (sessionId.isPresent()) {
                sessions.existing(sessionId.get());
                return ofSession(sessionId.get(), now).stream().filter(a -> a.state() == Approval.State.PENDING).toList();
            }
            return byId.values().stream().map(a -> a.asOf(now)).filter(a -> a.state() == Approval.State.PENDING)
                    .sorted(OLDEST_FIRST).toList();
        });
    }

    @Override
    public List<Approval> all(SessionId sessionId, Clock clock) {
        return read(() -> {
            sessions.existing(sessionId);
            return ofSession(sessionId, now(clock));
        });
    }

    @Override
    public List<Approval> recent(int limit, Clock clock) {
        return read(() -> {
            Instant now = now(clock);
            return byId.values().stream().sorted(OLDEST_FIRST.reversed()).limit(limit).map(a -> a.asOf(now)).toList();
        });
    }

    @Override
    public List<ApprovalId> findIdsByPrefix(IdPrefix prefix, int limit) {
        return read(() -> byId.subMap(new ApprovalId(prefix.lowest().value()), true,
                new ApprovalId(prefix.highest().value()), true).keySet().stream().limit(limit).toList());
    }

    /** A status change out of ACTIVE: the session's pending approvals are cancelled (or expired); the caller holds the write lock. */
    void cancelPending(SessionId sessionId, Actor by, Instant at) {
        for (ApprovalId id : bySession.getOrDefault(sessionId, new TreeMap<>()).values()) {
            Approval stored = byId.get(id);
            if (stored.state() == Approval.State.PENDING) {
                byId.put(id, stored.cancelled(by, at));
            }
        }
    }

    /** The session's approvals by number, as stored (an export's); the caller holds the lock. */
    List<Approval> stored(SessionId sessionId) {
        return bySession.getOrDefault(sessionId, new TreeMap<>()).values().stream().map(byId::get).toList();
    }

    /** Whether an approval holds this id, in any session; the caller holds the lock. */
    boolean holds(ApprovalId id) {
        return byId.containsKey(id);
    }

    /** An import's: the approvals of a session just restored, as they were; the caller holds the write lock. */
    void restore(SessionId sessionId, List<Approval> approvals) {
        for (Approval a : approvals) {
            byId.put(a.id(), a);
            bySession.computeIfAbsent(sessionId, k -> new TreeMap<>()).put(a.seq(), a.id());
            byKey.computeIfAbsent(sessionId, k -> new HashMap<>()).put(a.key(), a.id());
        }
    }

    /** Drops a deleted session's approvals; the caller holds the write lock. */
    void forget(SessionId sessionId) {
        NavigableMap<Long, ApprovalId> numbered = bySession.remove(sessionId);
        byKey.remove(sessionId);
        if (numbered != null) {
            numbered.values().forEach(byId::remove);
        }
    }

    private List<Approval> ofSession(SessionId sessionId, Instant now) {
        List<Approval> list = new ArrayList<>();
        for (ApprovalId id : bySession.getOrDefault(sessionId, new TreeMap<>()).values()) {
            list.add(byId.get(id).asOf(now));
        }
        return List.copyOf(list);
    }

    private static Instant now(Clock clock) {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private <T> T write(Supplier<T> step) {
        return sessions.underWriteLock(step);
    }

    private <T> T read(Supplier<T> step) {
        return sessions.underReadLock(step);
    }

}
