package io.claudesignal.sessions.application.service;

import io.claudesignal.sessions.application.port.out.ActivityRepository;
import io.claudesignal.sessions.application.port.out.LeaseRepository;
import io.claudesignal.sessions.application.port.out.PageRequest;
import io.claudesignal.sessions.application.port.out.SessionRepository;
import io.claudesignal.sessions.application.port.out.WriteContext;
import io.claudesignal.sessions.domain.Activity;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.CatchUp;
import io.claudesignal.sessions.domain.IdPrefix;
import io.claudesignal.sessions.domain.Lease;
import io.claudesignal.sessions.domain.LeaseLostException;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.SessionSummary;
import io.claudesignal.sessions.domain.StatusMismatchException;
import io.claudesignal.sessions.domain.Transition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A single-threaded store for the service's own tests: it records what the service asked of it and
 * fences writes as {@link WriteContext#admittedBy} says, so that the service's rules can be checked without
 * an adapter. Atomicity and races are the TCK's business, not this class's.
 */
final class FakeStore implements SessionRepository, LeaseRepository, ActivityRepository {

    final List<String> calls = new ArrayList<>();
    final List<WriteContext> writes = new ArrayList<>();
    final Map<SessionId, Session> sessions = new HashMap<>();
    final Map<SessionId, Lease> leases = new HashMap<>();
    final Map<Actor, Long> incarnations = new HashMap<>();
    PageRequest lastPage;
    Instant lastUnownedBefore;
    List<Transition> abandoned = List.of();
    long acknowledged;

    @Override
    public void insert(Session session, WriteContext write) {
        calls.add("insert");
        sessions.put(session.id(), session);
    }

    @Override
    public Optional<Session> findById(SessionId id) {
        calls.add("findById");
        return Optional.ofNullable(sessions.get(id));
    }

    @Override
    public List<SessionId> findIdsByPrefix(IdPrefix prefix, int limit) {
        calls.add("findIdsByPrefix");
        return sessions.keySet().stream().filter(prefix::matches).sorted().limit(limit).toList();
    }

    @Override
    public List<SessionSummary> findPage(PageRequest request) {
        calls.add("findPage");
        lastPage = request;
        return sessions.values().stream().map(Session::summary)
                .filter(s -> request.after().map(cursor -> cursor.precedes(s)).orElse(true))
                .sorted(Comparator.comparing(SessionSummary::createdAt).thenComparing(SessionSummary::id).reversed())
                .limit(request.limit())
                .toList();
    }

    @Override
    public Session compareAndSetStatus(SessionId id, SessionStatus expected, SessionStatus target, WriteContext write) {
        Session current = fencedRead("compareAndSetStatus", id, write);
        if (current.status() != expected) {
            throw new StatusMismatchException(id, expected, current.status());
        }
        return store(current.transitionTo(target, write.at()));
    }

    @Override
    public Updated update(SessionId id, UnaryOperator<Session> change, WriteContext write) {
        Session current = fencedRead("update", id, write);
        Session next = change.apply(current);
        return new Updated(current, next == current ? current : store(next));
    }

    @Override
    public Session fork(Session child, WriteContext write) {
        calls.add("fork");
        return store(child);
    }

    @Override
    public void delete(SessionId id, SessionStatus required) {
        calls.add("delete");
        sessions.remove(id);
    }

    @Override
    public List<Transition> history(SessionId id) {
        calls.add("history");
        return List.of();
    }

    @Override
    public List<Transition> recoverAbandoned(Clock clock, Duration grace, Actor actor) {
        calls.add("recoverAbandoned");
        lastUnownedBefore = clock.instant().minus(grace);
        abandoned.forEach(t -> leases.remove(t.sessionId()));
        return abandoned;
    }

    @Override
    public long startIncarnation(Actor owner, Clock clock) {
        calls.add("startIncarnation");
        long next = incarnations.merge(owner, 1L, Long::sum);
        leases.replaceAll((id, l) -> l.owner().equals(owner) ? new Lease(id, owner, FENCED_TOKEN, FENCED_EXPIRY) : l);
        return next;
    }

    @Override
    public long incarnation(Actor owner) {
        return incarnations.getOrDefault(owner, 0L);
    }

    @Override
    public String storeTag() {
        return "fake";
    }

    @Override
    public Lease claim(SessionId id, Actor owner, long incarnation, long token, Clock clock, Duration duration) {
        calls.add("claim");
        Lease lease = new Lease(id, owner, token, clock.instant().plus(duration));
        leases.put(id, lease);
        return lease;
    }

    @Override
    public List<Lease> renew(Actor owner, long incarnation, Collection<Lease> held, Clock clock, Duration duration) {
        calls.add("renew");
        List<Lease> renewed = new ArrayList<>();
        for (Lease lease : held) {
            if (lease.sameClaimAs(leases.get(lease.sessionId()))) {
                Lease fresh = new Lease(lease.sessionId(), owner, lease.token(), clock.instant().plus(duration));
                leases.put(lease.sessionId(), fresh);
                renewed.add(fresh);
            }
        }
        return renewed;
    }

    @Override
    public boolean release(Lease lease) {
        calls.add("release");
        return leases.remove(lease.sessionId(), lease);
    }

    @Override
    public Optional<Lease> find(SessionId id) {
        return Optional.ofNullable(leases.get(id));
    }

    @Override
    public Activity append(SessionId id, String type, String details, WriteContext write, int keep) {
        fencedRead("append", id, write);
        return new Activity(id, writes.size(), type, details, write.at());
    }

    @Override
    public List<Activity> list(SessionId id) {
        calls.add("list");
        return List.of();
    }

    @Override
    public CatchUp catchUp(SessionId id) {
        calls.add("catchUp");
        return new CatchUp(id, acknowledged, acknowledged, List.of());
    }

    @Override
    public long acknowledge(SessionId id, long throughSeq) {
        calls.add("acknowledge");
        acknowledged = throughSeq;
        return acknowledged;
    }

    private Session fencedRead(String call, SessionId id, WriteContext write) {
        calls.add(call);
        writes.add(write);
        Session current = sessions.get(id);
        if (current == null) {
            throw new SessionNotFoundException(id);
        }
        if (!write.admittedBy(Optional.ofNullable(leases.get(id)))) {
            throw new LeaseLostException(write.fence().orElseThrow());
        }
        return current;
    }

    private Session store(Session after) {
        sessions.put(after.id(), after);
        if (after.status() != SessionStatus.ACTIVE) {
            leases.remove(after.id());
        }
        return after;
    }
}
