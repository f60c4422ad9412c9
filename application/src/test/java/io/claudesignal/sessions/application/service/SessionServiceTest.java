package io.claudesignal.sessions.application.service;

import static io.claudesignal.sessions.domain.SessionStatus.ACTIVE;
import static io.claudesignal.sessions.domain.SessionStatus.CREATED;
import static io.claudesignal.sessions.domain.SessionStatus.PAUSED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.application.port.in.SessionEvent;
import io.claudesignal.sessions.application.port.in.SessionPage;
import io.claudesignal.sessions.application.port.in.SessionQuery;
import io.claudesignal.sessions.application.port.in.Subscription;
import io.claudesignal.sessions.application.port.out.PageCursor;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.port.out.Persistence;
import io.claudesignal.sessions.application.port.out.TranscriptRepository;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.IllegalTransitionException;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.Lease;
import io.claudesignal.sessions.domain.LeaseLostException;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.Transition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rules {@link SessionService} keeps above any store, checked against a {@link FakeStore} that
 * records what it was asked: what is refused before the store is touched, how writes are fenced, what
 * listeners hear. What a store must do itself is the TCK's part.
 */
class SessionServiceTest {

    private static final Duration LEASE = Duration.ofSeconds(30);

    /** A clock that moves only when told to. */
    private static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-03-01T12:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("tests run in UTC");
        }
    }

    private final FakeStore store = new FakeStore();
    private final ManualClock clock = new ManualClock();
    private final List<SessionEvent> events = new ArrayList<>();
    private SessionService cli;
    private SessionService daemon;

    private SessionService service(Actor actor) {
        return new SessionService(Persistence.of(store, noTranscripts()), clock, SessionIdGenerator.random(), new ContextJson(1024, 8),
                SessionsConfig.of(actor).withLease(LEASE, Duration.ofSeconds(10)).withActivityLimit(5));
    }

    /** These rules never reach the transcript port: any call to it fails the test. */
    private static TranscriptRepository noTranscripts() {
        return (TranscriptRepository) java.lang.reflect.Proxy.newProxyInstance(TranscriptRepository.class.getClassLoader(),
                new Class<?>[] {TranscriptRepository.class}, (proxy, method, args) -> {
                    throw new AssertionError("unexpected transcript call: " + method.getName());
                });
    }

    @BeforeEach
    void handles() {
        cli = service(Actor.CLI);
        daemon = service(Actor.daemon("a"));
        daemon.subscribe(events::add);
    }

    private Session active() {
        Session s = cli.create("/p", "t");
        return cli.activate(s.id());
    }

    @Test
    void badInputIsRefusedBeforeTheStoreIsTouched() {
        Session s = cli.create("/p", "t");
        store.calls.clear();
        assertThatThrownBy(() -> cli.mergeContext(s.id(), "[1]")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> cli.mergeContext(s.id(), "{\"a\":" + "[".repeat(20) + "]".repeat(20) + "}"))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> cli.appendActivity(s.id(), " ", "{}")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> cli.appendActivity(s.id(), "edit", "nope")).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> cli.appendActivity(s.id(), "edit",
                "{\"x\":\"" + "y".repeat(SessionService.MAX_ACTIVITY_DETAILS_BYTES) + "\"}"))
                .isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> cli.transition(s.id(), CREATED, PAUSED)).isInstanceOf(IllegalTransitionException.class);
        assertThatThrownBy(() -> cli.transition(s.id(), ACTIVE, PAUSED, "x\ny"))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("reason"));
        assertThatThrownBy(() -> cli.acknowledge(s.id(), -1)).isInstanceOf(InvalidInputException.class);
        assertThatThrownBy(() -> cli.create("relative", "t")).isInstanceOf(InvalidInputException.class);
        assertThat(store.calls).isEmpty();
    }

    @Test
    void aPageAsksTheStoreForOneRowMoreToKnowWhetherAnotherFollows() {
        List<SessionId> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(cli.create("/p", "t").id());
            clock.advance(Duration.ofSeconds(1));
        }
        SessionPage first = cli.list(SessionQuery.all().withLimit(2));
        assertThat(store.lastPage.limit()).isEqualTo(3);
        assertThat(first.sessions()).extracting(x -> x.id()).containsExactly(ids.get(2), ids.get(1));
        assertThat(PageCursor.decode(first.nextCursor().orElseThrow()).id()).isEqualTo(ids.get(1));
        SessionPage last = cli.list(SessionQuery.all().withLimit(2).after(first.nextCursor().get()));
        assertThat(last.sessions()).extracting(x -> x.id()).containsExactly(ids.get(0));
        assertThat(last.nextCursor()).as("no row beyond the limit, no cursor").isEmpty();
    }

    @Test
    void aClaimFencesThatHandlesLaterWritesAndNoOtherHandles() {
        Session s = active();
        Lease lease = daemon.leases().claim(s.id());
        assertThat(lease.expiresAt()).isEqualTo(clock.instant().plus(LEASE));
        daemon.mergeContext(s.id(), "{\"a\":1}");
        cli.mergeContext(s.id(), "{\"b\":1}");
        assertThat(store.writes).extracting(w -> w.fence()).containsExactly(
                Optional.empty(), // the CLI's activation
                Optional.of(lease),
                Optional.empty());
        assertThat(store.writes.get(1).actor()).isEqualTo(Actor.daemon("a"));
    }

    @Test
    void aLostLeaseIsToldOnceAndKeepsFencingThatHandle() {
        Session s = active();
        Lease lease = daemon.leases().claim(s.id());
        store.leases.remove(s.id()); // recovered by another process meanwhile
        assertThatThrownBy(() -> daemon.mergeContext(s.id(), "{\"a\":1}")).isInstanceOf(LeaseLostException.class);
        assertThat(daemon.leases().held(s.id())).isEmpty();
        assertThatThrownBy(() -> daemon.appendActivity(s.id(), "edit", "{}")).isInstanceOf(LeaseLostException.class);
        assertThat(store.writes.get(store.writes.size() - 1).fence()).contains(lease);
        assertThat(events).filteredOn(e -> e instanceof SessionEvent.LeaseLost).singleElement()
                .isEqualTo(new SessionEvent.LeaseLost(lease));
        daemon.leases().claim(s.id());
        assertThat(daemon.mergeContext(s.id(), "{\"a\":1}").version()).as("a new claim writes again").isEqualTo(3);
    }

    @Test
    void renewingReportsTheLeasesTheStoreNoLongerHeld() {
        Session kept = active();
        Session taken = active();
        daemon.leases().claim(kept.id());
        Lease lost = daemon.leases().claim(taken.id());
        store.leases.put(taken.id(), new Lease(taken.id(), Actor.daemon("b"), 7, clock.instant().plus(LEASE)));
        clock.advance(Duration.ofSeconds(10));

        assertThat(daemon.leases().renew()).containsExactly(taken.id());

        assertThat(daemon.leases().heldLeases()).extracting(Lease::sessionId).containsExactly(kept.id());
        assertThat(daemon.leases().held(kept.id()).orElseThrow().expiresAt()).isEqualTo(clock.instant().plus(LEASE));
        assertThat(events).filteredOn(e -> e instanceof SessionEvent.LeaseLost).containsExactly(
                new SessionEvent.LeaseLost(lost));
    }

    @Test
    void leavingActiveForgetsTheLease() {
        Session s = active();
        daemon.leases().claim(s.id());
        daemon.pause(s.id());
        assertThat(daemon.leases().held(s.id())).isEmpty();
        assertThat(daemon.leases().heldLeases()).isEmpty();
    }

    @Test
    void recoveryLeavesAloneWhatChangedWithinOneLeaseAndTellsOfEachSession() {
        Session s = active();
        daemon.leases().claim(s.id());
        Transition recovered = new Transition(s.id(), ACTIVE, PAUSED, clock.instant(), Transition.CRASH_RECOVERY,
                Actor.daemon("a"));
        store.abandoned = List.of(recovered);

        assertThat(daemon.recover()).containsExactly(s.id());

        assertThat(store.lastUnownedBefore).isEqualTo(clock.instant().minus(LEASE));
        assertThat(daemon.leases().held(s.id())).isEmpty();
        assertThat(events).filteredOn(e -> e instanceof SessionEvent.Recovered)
                .containsExactly(new SessionEvent.Recovered(recovered));
    }

    @Test
    void listenersHearOnlyRealChangesAndAFailingOneHarmsNoOther() {
        List<SessionEvent> heard = new ArrayList<>();
        cli.subscribe(e -> {
            throw new IllegalStateException("listener bug");
        });
        Subscription subscription = cli.subscribe(heard::add);
        Session s = cli.create("/p", "t");
        cli.mergeContext(s.id(), "{\"a\":1}");
        cli.mergeContext(s.id(), "{\"a\":1}"); // changes nothing
        cli.activate(s.id());
        cli.activate(s.id()); // ACTIVE -> ACTIVE: no transition
        subscription.close();
        cli.pause(s.id());
        assertThat(heard).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("Created", "ContextChanged", "Transitioned");
    }

    @Test
    void theSameListenerSubscribedTwiceIsRemovedOncePerClose() {
        List<SessionEvent> heard = new ArrayList<>();
        Subscription first = cli.subscribe(heard::add);
        cli.subscribe(heard::add);
        first.close();
        cli.create("/p", "t");
        assertThat(heard).hasSize(1);
    }
}
