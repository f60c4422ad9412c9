package io.claudesignal.sessions.tck;

import static io.claudesignal.sessions.domain.SessionStatus.ACTIVE;
import static io.claudesignal.sessions.domain.SessionStatus.PAUSED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudesignal.sessions.application.port.in.SessionEvent;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Lease;
import io.claudesignal.sessions.domain.LeaseHeldException;
import io.claudesignal.sessions.domain.LeaseLostException;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.SessionsException;
import io.claudesignal.sessions.domain.StatusMismatchException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Leases and fencing: one owner at a time, expiry, renewal, and the refusal of a stale owner's
 * writes.
 */
public abstract class LeasesKit extends Kit {

    @Test
    void aDaemonClaimsAnActiveSessionAndAnotherCannotUntilTheLeaseExpires() throws Exception {
        SessionService a = daemon("a");
        SessionService b = daemonOnSecondHandle("b");
        Session s = sessionIn(ACTIVE);
        Lease lease = a.claim(s.id());
        assertThat(lease.owner()).isEqualTo(Actor.daemon("a"));
        assertThat(a.lease(s.id())).contains(lease);
        assertThatThrownBy(() -> b.claim(s.id()))
                .isInstanceOfSatisfying(LeaseHeldException.class, e -> assertThat(e.holder()).isEqualTo(lease));
        advance(LEASE);
        Lease taken = b.claim(s.id());
        assertThat(taken.owner()).isEqualTo(Actor.daemon("b"));
        assertThat(taken.token()).isNotEqualTo(lease.token());
    }

    @Test
    void onlyAnActiveSessionCanBeClaimed() throws Exception {
        SessionService a = daemon("a");
        assertThatThrownBy(() -> a.claim(newSession().id())).isInstanceOf(StatusMismatchException.class);
        assertThatThrownBy(() -> a.claim(sessionIn(PAUSED).id())).isInstanceOf(StatusMismatchException.class);
        assertThatThrownBy(() -> a.claim(SessionId.random())).isInstanceOf(SessionNotFoundException.class);
    }

    @Test
    void leavingActiveDropsTheLease() throws Exception {
        SessionService a = daemon("a");
        Session s = sessionIn(ACTIVE);
        a.claim(s.id());
        a.pause(s.id());
        assertThat(a.lease(s.id())).isEmpty();
        assertThat(a.held(s.id())).isEmpty();
        a.resume(s.id());
        assertThat(a.lease(s.id())).isEmpty();
    }

    @Test
    void aStaleOwnersWritesAreRefusedOnceItsSessionWasRecoveredAndReclaimed() throws Exception {
        SessionService a = daemon("a");
        SessionService b = daemonOnSecondHandle("b");
        Session s = sessionIn(ACTIVE);
        a.claim(s.id());
        a.mergeContext(s.id(), "{\"by\":\"a\"}");
        advance(LEASE); // a stalls past its lease
        assertThat(b.recover()).containsExactly(s.id());
        b.resume(s.id());
        b.claim(s.id());
        Session before = sessions.get(s.id());
        int activities = sessions.activities(s.id()).size();
        List<SessionEvent> events = new ArrayList<>();
        a.subscribe(events::add);
        assertThatThrownBy(() -> a.mergeContext(s.id(), "{\"by\":\"stale a\"}")).isInstanceOf(LeaseLostException.class);
        assertThatThrownBy(() -> a.pause(s.id())).isInstanceOf(SessionsException.class);
        assertThatThrownBy(() -> a.appendActivity(s.id(), "edit", "{}")).isInstanceOf(SessionsException.class);
        assertThat(sessions.get(s.id())).isEqualTo(before);
        assertThat(sessions.activities(s.id())).hasSize(activities);
        assertThat(events).singleElement().isInstanceOf(SessionEvent.LeaseLost.class);
        assertThat(a.held(s.id())).isEmpty();
        // The new owner writes as usual.
        assertThat(json(b.mergeContext(s.id(), "{\"by\":\"b\"}").context()).get("by").asText()).isEqualTo("b");
    }

    @Test
    void anExpiredLeaseFencesWritesEvenBeforeAnyoneRecovers() throws Exception {
        SessionService a = daemon("a");
        Session s = sessionIn(ACTIVE);
        a.claim(s.id());
        advance(LEASE);
        assertThatThrownBy(() -> a.mergeContext(s.id(), "{\"x\":1}")).isInstanceOf(LeaseLostException.class);
        assertThat(json(sessions.get(s.id()).context()).has("x")).isFalse();
    }

    @Test
    void renewingKeepsLiveLeasesAndNeverRevivesAnExpiredOne() throws Exception {
        SessionService a = daemon("a");
        Session kept = sessionIn(ACTIVE);
        Session lost = sessionIn(ACTIVE);
        Lease first = a.claim(kept.id());
        a.claim(lost.id());
        advance(LEASE.minus(Duration.ofSeconds(1)));
        assertThat(a.renew()).isEmpty();
        Lease renewed = a.held(kept.id()).orElseThrow();
        assertThat(renewed.sameClaimAs(first)).isTrue();
        assertThat(renewed.expiresAt()).isAfter(first.expiresAt());
        a.release(lost.id());
        assertThat(a.lease(lost.id())).isEmpty();
        a.claim(lost.id());
        advance(LEASE.plus(Duration.ofSeconds(1)));
        assertThat(a.renew()).containsExactlyInAnyOrder(kept.id(), lost.id());
        assertThat(a.heldLeases()).isEmpty();
        assertThat(a.lease(kept.id())).hasValueSatisfying(l -> assertThat(l.isLiveAt(clock.instant())).isFalse());
    }

    @Test
    void theSameDaemonClaimingAgainKeepsItsClaim() throws Exception {
        SessionService a = daemon("a");
        Session s = sessionIn(ACTIVE);
        Lease first = a.claim(s.id());
        Lease again = a.claim(s.id());
        assertThat(again.sameClaimAs(first)).isTrue();
        a.mergeContext(s.id(), "{\"ok\":true}");
    }

    @Test
    void racingClaimsHaveExactlyOneWinner() throws Exception {
        Session s = sessionIn(ACTIVE);
        List<SessionService> daemons = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            daemons.add(i % 2 == 0 ? daemon("d" + i) : daemonOnSecondHandle("d" + i));
        }
        List<Race.Outcome<Lease>> outcomes = Race.run(RACERS, i -> () -> daemons.get(i).claim(s.id()));
        assertThat(outcomes.stream().filter(Race.Outcome::won)).hasSize(1);
        assertThat(outcomes.stream().filter(o -> !o.won()).map(Race.Outcome::error))
                .allSatisfy(e -> assertThat(e).isInstanceOf(LeaseHeldException.class));
    }
}
