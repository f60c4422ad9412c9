package io.claudesignal.sessions.application.service;

import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.application.port.in.Leases;
import io.claudesignal.sessions.application.port.in.SessionEvent;
import io.claudesignal.sessions.application.port.out.LeaseRepository;
import io.claudesignal.sessions.application.port.out.SessionRepository;
import io.claudesignal.sessions.application.port.out.WriteContext;
import io.claudesignal.sessions.domain.DaemonRequiredException;
import io.claudesignal.sessions.domain.Lease;
import io.claudesignal.sessions.domain.LeaseLostException;
import io.claudesignal.sessions.domain.SessionId;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The leases one handle claimed, and the fencing of its writes by them: every write the handle makes
 * goes through {@link #write} and {@link #fenced}. It is the handle's {@link Leases} port itself,
 * bound as such, so that what a handle holds, and how a refused write is told, reads in one place.
 */
final class LeaseKeeper implements Leases {

    private final LeaseRepository leaseStore;
    private final SessionRepository repository;
    private final Clock clock;
    private final SessionsConfig config;
    private final Consumer<SessionEvent> publish;
    // This handle's incarnation of its daemon; 0 for a handle that is not a daemon's (it claims nothing).
    private final long incarnation;
    private final SecureRandom tokens = new SecureRandom();
    private final Map<SessionId, Lease> held = new ConcurrentHashMap<>();
    // Leases found lost keep fencing: a daemon that lost a session must not go on writing it unfenced.
    private final Map<SessionId, Lease> lost = new ConcurrentHashMap<>();

    /**
     * @param config  the handle's configuration, as the store completed it
     * @param publish tells the handle's listeners of a lease found lost
     */
    LeaseKeeper(LeaseRepository leaseStore, SessionRepository repository, Clock clock, SessionsConfig config,
            Consumer<SessionEvent> publish) {
        this.leaseStore = leaseStore;
        this.repository = repository;
        this.clock = clock;
        this.config = config;
        this.publish = publish;
        // A daemon's handle is a new incarnation of its name: the older ones are fenced before this
        // handle does anything, so the recover() that follows returns their sessions at once.
        this.incarnation = config.actor().isDaemon() ? leaseStore.startIncarnation(config.actor(), clock) : 0;
    }

    long incarnation() {
        return incarnation;
    }

    @Override
    public Lease claim(SessionId id) {
        Objects.requireNonNull(id, "id");
        if (incarnation == 0) {
            // Nobody would renew it: the lease would lapse one duration later without a word.
            throw new DaemonRequiredException(id, config.actor());
        }
        Lease lease = leaseStore.claim(id, config.actor(), incarnation, newToken(), clock, config.leaseDuration());
        held.put(id, lease);
        lost.remove(id);
        return lease;
    }

    @Override
    public List<SessionId> renew() {
        Map<SessionId, Lease> before = new HashMap<>(held);
        if (before.isEmpty()) {
            return List.of();
        }
        Map<SessionId, Lease> renewed = new HashMap<>();
        for (Lease lease : leaseStore.renew(config.actor(), incarnation, before.values(), clock, config.leaseDuration())) {
            renewed.put(lease.sessionId(), lease);
        }
        List<Lease> lostNow = new ArrayList<>();
        for (Lease old : before.values()) {
            Lease fresh = renewed.get(old.sessionId());
            // Conditional on the map still holding `old`: a claim made meanwhile is not undone.
            if (fresh != null && fresh.sameClaimAs(old)) {
                held.replace(old.sessionId(), old, fresh);
            } else if (held.remove(old.sessionId(), old)) {
                lost.put(old.sessionId(), old);
                lostNow.add(old);
            }
        }
        lostNow.forEach(lease -> publish.accept(new SessionEvent.LeaseLost(lease)));
        return lostNow.stream().map(Lease::sessionId).toList();
    }

    @Override
    public void release(SessionId id) {
        Lease lease = held.get(Objects.requireNonNull(id, "id"));
        forget(id);
        if (lease != null) {
            leaseStore.release(lease);
        }
    }

    @Override
    public Optional<Lease> held(SessionId id) {
        return Optional.ofNullable(held.get(Objects.requireNonNull(id, "id")));
    }

    @Override
    public Optional<Lease> lease(SessionId id) {
        return leaseStore.find(Objects.requireNonNull(id, "id"));
    }

    @Override
    public List<Lease> heldLeases() {
        return List.copyOf(held.values());
    }

    /** This handle's own step took the session out of ACTIVE: the store dropped the lease in that step. */
    void runEnded(SessionId id) {
        held.remove(id);
    }

    /** This handle deleted or recovered the session: no lease of it, held or lost, fences anything any more. */
    void forget(SessionId id) {
        held.remove(id);
        lost.remove(id);
    }

    /**
     * Another handle or process ended this session's run (paused, terminated, recovered it): the
     * store dropped the lease in that step, so this handle forgets it too and says so.
     */
    Optional<Lease> lostToOthers(SessionId id) {
        Lease lease = held.remove(id);
        if (lease != null) {
            lost.put(id, lease);
        }
        return Optional.ofNullable(lease);
    }

    /** A write now by this handle's actor, fenced by the lease it holds (or held and lost) on the session. */
    WriteContext write(SessionId id, String reason) {
        Lease fence = held.get(id);
        // Its time is read by the store once it holds the session: see WriteContext.
        return WriteContext.timedBy(clock, config.actor(), reason, Optional.ofNullable(fence != null ? fence : lost.get(id)));
    }

    /**
     * Runs a fenced write. A lease that ran out but that nobody took (its token still the stored one: a
     * late heartbeat, a clock that stepped forward) is renewed and the write tried once more, as the
     * heartbeat would have; nothing was written by the refused attempt. A lease that is really gone is
     * forgotten and told, and the refusal says what happened to it, as the store recorded it.
     */
    <T> T fenced(WriteContext write, Function<WriteContext, T> step) {
        try {
            return step.apply(write);
        } catch (LeaseLostException e) {
            Optional<Lease> renewed = write.fence().flatMap(this::renewUntaken);
            if (renewed.isPresent()) {
                return fencedOnce(write.withFence(renewed), step);
            }
            throw lose(write, e);
        }
    }

    private <T> T fencedOnce(WriteContext write, Function<WriteContext, T> step) {
        try {
            return step.apply(write);
        } catch (LeaseLostException e) {
            throw lose(write, e);
        }
    }

    private LeaseLostException lose(WriteContext write, LeaseLostException refusal) {
        write.fence().filter(lease -> held.remove(lease.sessionId(), lease)).ifPresent(lease -> {
            lost.put(lease.sessionId(), lease);
            publish.accept(new SessionEvent.LeaseLost(lease));
        });
        return new LeaseLostException(refusal.lost(), LeaseLoss.explain(refusal.lost(), leaseStore, repository));
    }

    /** Renews {@code lease} if this handle holds it and the store still has it as this claim. */
    private Optional<Lease> renewUntaken(Lease lease) {
        if (incarnation == 0 || !lease.sameClaimAs(held.get(lease.sessionId()))) {
            return Optional.empty();
        }
        Optional<Lease> fresh = leaseStore.renew(config.actor(), incarnation, List.of(lease), clock,
                config.leaseDuration()).stream().findFirst();
        fresh.ifPresent(f -> held.replace(lease.sessionId(), held.get(lease.sessionId()), f));
        return fresh;
    }

    private long newToken() {
        long token;
        do {
            token = tokens.nextLong();
        } while (token == 0);
        return token;
    }
}
