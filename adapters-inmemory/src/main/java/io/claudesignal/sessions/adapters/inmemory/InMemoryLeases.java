package io.claudesignal.sessions.adapters.inmemory;

import io.claudesignal.sessions.application.port.out.LeaseRepository;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Lease;
import io.claudesignal.sessions.domain.SessionId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The leases and the daemons' incarnations of an {@link InMemorySessionRepository}'s sessions, under
 * its lock: a claim decides on the session's status as of its own step, and the repository drops a
 * lease in the very step that ends the session's run, as the SQL stores do in one transaction.
 */
final class InMemoryLeases implements LeaseRepository {

    private final InMemorySessionRepository sessions;
    private final Map<SessionId, Lease> leases = new HashMap<>();
    // The newest incarnation of each daemon name, as a database's daemons table keeps it.
    private final Map<Actor, Long> incarnations = new HashMap<>();

    InMemoryLeases(InMemorySessionRepository sessions) {
        this.sessions = sessions;
    }

    @Override
    public long startIncarnation(Actor owner, Clock clock) {
        sessions.lock().writeLock().lock();
        try {
            long next = incarnations.merge(owner, 1L, Long::sum);
            leases.replaceAll((id, lease) -> lease.owner().equals(owner)
                    ? new Lease(id, owner, FENCED_TOKEN, FENCED_EXPIRY) : lease);
            return next;
        } finally {
            sessions.lock().writeLock().unlock();
        }
    }

    @Override
    public long incarnation(Actor owner) {
        sessions.lock().readLock().lock();
        try {
            return incarnations.getOrDefault(owner, 0L);
        } finally {
            sessions.lock().readLock().unlock();
        }
    }

    /** The store's tag, not this table's: the repository is the store. */
    @Override
    public String storeTag() {
        return sessions.storeTag();
    }

    @Override
    public Lease claim(SessionId id, Actor owner, long incarnation, long token, Clock clock, Duration duration) {
        sessions.lock().writeLock().lock();
        try {
            Instant now = clock.instant();
            Instant expiresAt = now.plus(duration);
            Lease.requireNewestIncarnation(id, owner, token, incarnation, incarnations.getOrDefault(owner, 0L));
            Optional<Lease> current = Optional.ofNullable(leases.get(id));
            Lease claimed = Lease.decideClaim(id, sessions.existing(id).status(), current, owner, token, now, expiresAt);
            if (Lease.takesOver(current, claimed)) {
                sessions.inFlight().holdEnded(id);
            }
            leases.put(id, claimed);
            return claimed;
        } finally {
            sessions.lock().writeLock().unlock();
        }
    }

    @Override
    public List<Lease> renew(Actor owner, long incarnation, Collection<Lease> held, Clock clock, Duration duration) {
        sessions.lock().writeLock().lock();
        try {
            if (incarnations.getOrDefault(owner, 0L) > incarnation) {
                return List.of();
            }
            Instant expiresAt = clock.instant().plus(duration);
            List<Lease> renewed = new ArrayList<>();
            for (Lease lease : held) {
                // Still this claim, expired or not: nobody took it, so nobody wrote under another lease.
                if (lease.owner().equals(owner) && lease.sameClaimAs(leases.get(lease.sessionId()))) {
                    Lease fresh = new Lease(lease.sessionId(), owner, lease.token(), expiresAt);
                    leases.put(lease.sessionId(), fresh);
                    renewed.add(fresh);
                }
            }
            return renewed;
        } finally {
            sessions.lock().writeLock().unlock();
        }
    }

    @Override
    public boolean release(Lease lease) {
        sessions.lock().writeLock().lock();
        try {
            if (!Lease.releases(Optional.ofNullable(leases.get(lease.sessionId())), lease)) {
                return false; // stale: what is taken now is another holder's
            }
            sessions.inFlight().holdEnded(lease.sessionId());
            leases.remove(lease.sessionId());
            return true;
        } finally {
            sessions.lock().writeLock().unlock();
        }
    }

    @Override
    public Optional<Lease> find(SessionId id) {
        sessions.lock().readLock().lock();
        try {
            return Optional.ofNullable(leases.get(id));
        } finally {
            sessions.lock().readLock().unlock();
        }
    }

    /** The session's lease, or null when it has none; the caller holds the lock. */
    Lease current(SessionId id) {
        return leases.get(id);
    }

    /** Drops the session's lease (its run ended, or it is gone); the caller holds the write lock. */
    void drop(SessionId id) {
        leases.remove(id);
    }
}
