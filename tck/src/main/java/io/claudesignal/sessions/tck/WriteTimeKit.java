package io.claudesignal.sessions.tck;

import static io.claudesignal.sessions.domain.SessionStatus.ACTIVE;
import static io.claudesignal.sessions.domain.SessionStatus.CREATED;
import static io.claudesignal.sessions.domain.SessionStatus.PAUSED;
import static org.assertj.core.api.Assertions.assertThat;

import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.application.port.in.SessionEvent;
import io.claudesignal.sessions.application.port.in.Sessions;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.Transition;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The time a write records is read once it holds what orders the writes to the session, so one
 * session's history is in time order and its {@code updatedAt} never goes back; and the time stored
 * is the time its event carries, to the microsecond.
 *
 * <p>The race is made certain, not likely: the first write's clock, when read, runs a second write on
 * another thread and gives it a while to finish. A store that reads the time before it holds the
 * session lets the second write through with a later time, then records the earlier one after it; a
 * store that reads it under the session's hold makes the second write wait, and the while passes
 * (it only bounds how long the test waits: no outcome depends on it).
 */
public abstract class WriteTimeKit extends Kit {

    /** How long the first write's clock lets the second write run before it answers. */
    private static final long HEAD_START_MILLIS = 2_000;

    @Test
    void updatedAtNeverGoesBackWhenAWriteWaitsForAnother() throws Exception {
        Session s = sessions.activate(newSession().id());
        List<Session> results = race(s, first -> first.transition(s.id(), ACTIVE, PAUSED),
                second -> second.mergeContext(s.id(), "{\"b\":1}"));
        Session last = sessions.get(s.id());
        assertThat(last.version()).isEqualTo(s.version() + 2);
        for (Session written : results) {
            assertThat(last.updatedAt()).as("the last updatedAt is the latest").isAfterOrEqualTo(written.updatedAt());
        }
    }

    @Test
    void historyIsInTimeOrderWhenATransitionWaitsForAnother() throws Exception {
        Session s = sessions.activate(newSession().id());
        race(s, first -> first.terminate(s.id()), second -> second.pause(s.id()));
        List<Transition> history = sessions.history(s.id());
        assertThat(history).extracting(Transition::at).isSortedAccordingTo(Comparator.naturalOrder());
        assertThat(sessions.get(s.id()).updatedAt()).isEqualTo(history.get(history.size() - 1).at());
    }

    @Test
    void theTimeStoredIsTheTimeTheEventCarriesToTheMicrosecond() {
        Clock nanos = Clock.fixed(Instant.parse("2026-01-26T01:58:12.123456789Z"), ZoneOffset.UTC);
        SessionService svc = new SessionService(persistence, nanos, SessionIdGenerator.random(),
                new ContextJson(MAX_CONTEXT_BYTES, MAX_DEPTH),
                new SessionsConfig(Actor.CLI, LEASE, HEARTBEAT, ACTIVITY_LIMIT));
        List<SessionEvent> events = new ArrayList<>();
        svc.subscribe(events::add);
        Session s = svc.create("/home/ana/code/webapp", "+15551234567");
        Session active = svc.transition(s.id(), CREATED, ACTIVE);
        Session paused = svc.pause(s.id());
        List<Transition> history = svc.history(s.id());
        Instant stored = Instant.parse("2026-01-26T01:58:12.123456Z");
        assertThat(List.of(s.createdAt(), active.updatedAt(), paused.updatedAt(), svc.get(s.id()).updatedAt()))
                .containsOnly(stored);
        assertThat(history).extracting(Transition::at).containsOnly(stored);
        List<Transition> told = events.stream().filter(e -> e instanceof SessionEvent.Transitioned)
                .map(e -> ((SessionEvent.Transitioned) e).transition()).toList();
        assertThat(told).isEqualTo(history);
        assertThat(events).filteredOn(e -> e instanceof SessionEvent.Transitioned)
                .allSatisfy(e -> assertThat(((SessionEvent.Transitioned) e).session().updatedAt()).isEqualTo(stored));
    }

    /**
     * Runs {@code first} through a handle whose clock, when first read, starts {@code second} on another
     * thread (through the kit's own handle and clock, a millisecond later) and gives it a head start.
     *
     * @return what each wrote, first's then second's
     */
    private List<Session> race(Session s, Function<Sessions, Session> first, Function<Sessions, Session> second)
            throws Exception {
        AtomicBoolean armed = new AtomicBoolean(true);
        AtomicReference<Session> secondWrote = new AtomicReference<>();
        AtomicReference<Throwable> secondFailed = new AtomicReference<>();
        Thread[] other = new Thread[1];
        Clock hooked = new Clock() {
            @Override
            public Instant instant() {
                Instant now = clock.instant();
                if (armed.compareAndSet(true, false)) {
                    other[0] = new Thread(() -> {
                        try {
                            secondWrote.set(second.apply(sessions));
                        } catch (Throwable t) {
                            secondFailed.set(t);
                        }
                    }, "second-write");
                    other[0].start();
                    try {
                        other[0].join(HEAD_START_MILLIS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return now;
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException();
            }
        };
        Sessions firstHandle = new SessionService(persistence, hooked, SessionIdGenerator.random(),
                new ContextJson(MAX_CONTEXT_BYTES, MAX_DEPTH),
                new SessionsConfig(Actor.CLI, LEASE, HEARTBEAT, ACTIVITY_LIMIT));
        Session firstWrote = first.apply(firstHandle);
        assertThat(other[0]).as("the first write read its clock").isNotNull();
        other[0].join(TimeUnit.SECONDS.toMillis(60));
        assertThat(other[0].isAlive()).as("the second write ended").isFalse();
        List<Session> written = new ArrayList<>(List.of(firstWrote));
        if (secondWrote.get() != null) {
            written.add(secondWrote.get());
        }
        return written;
    }
}
