package io.claudesignal.sessions.adapters.inmemory;

import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.port.out.WriteContext;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Lease;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.Transition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A crash recovery over the sessions in memory, as one step under their write lock: every ACTIVE
 * session whose lease expired (or that has none and was left alone for the grace time) is PAUSED and
 * stamped, and what its daemon held in flight is released in the same step (see {@link InMemoryInFlight}).
 */
final class InMemoryRecovery {

    // Only for stamping "recovered_at", which a database does in its own query language.
    private final ContextJson json = new ContextJson();
    private final InMemorySessionRepository sessions;

    InMemoryRecovery(InMemorySessionRepository sessions) {
        this.sessions = sessions;
    }

    /** The caller holds the write lock. */
    List<Transition> recoverAbandoned(Clock clock, Duration grace, Actor actor) {
        Instant now = clock.instant(); // read under the lock: the step decides with the time it runs at
        Instant unownedBefore = now.minus(grace);
        List<Transition> recovered = new ArrayList<>();
        for (Session s : List.copyOf(sessions.byId.values())) {
            if (s.status() != SessionStatus.ACTIVE) {
                continue;
            }
            Lease lease = sessions.leases().current(s.id());
            boolean abandoned = lease == null ? !s.updatedAt().isAfter(unownedBefore) : !lease.isLiveAt(now);
            if (abandoned) {
                String stamped = json.withField(s.context(), Session.RECOVERED_AT,
                        now.truncatedTo(ChronoUnit.MICROS).toString());
                Instant at = now.isAfter(s.updatedAt()) ? now : s.updatedAt();
                Session paused = new Session(s.id(), s.projectPath(), s.threadId(), SessionStatus.PAUSED, stamped,
                        s.createdAt(), at, s.version() + 1, s.forkedFrom(), s.pinned());
                sessions.byId.put(s.id(), paused);
                WriteContext write = new WriteContext(now, actor, Transition.CRASH_RECOVERY, Optional.empty());
                recovered.add(sessions.recordStatusChange(s, paused, write));
            }
        }
        sessions.inFlight().recovered();
        return recovered;
    }
}
