package io.claudesignal.sessions.tck;

import static io.claudesignal.sessions.domain.SessionStatus.ACTIVE;
import static io.claudesignal.sessions.domain.SessionStatus.PAUSED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudesignal.sessions.application.port.in.SessionEvent;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.ConflictException;
import io.claudesignal.sessions.domain.DaemonRequiredException;
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
        Lease lease = a.leases().claim(s.id());
        assertThat(lease.owner()).isEqualTo(Actor.daemon("a"));
        assertThat(a.leases().lease(s.id())).contains(lease);
        assertThatThrownBy(() -> b.leases().claim(s.id()))
                .isInstanceOfSatisfying(LeaseHeldException.class, e -> assertThat(e.holder()).isEqualTo(lease));
        advance(LEASE);
        Lease taken = b.leases().claim(s.id());
        assertThat(taken.owner()).isEqualTo(Actor.daemon("b"));
        assertThat(taken.token()).isNotEqualTo(lease.token());
    }

    @Test
    void onlyAnActiveSessionCanBeClaimed() throws Exception {
        SessionService a = daemon("a");
        assertThatThrownBy(() -> a.leases().claim(newSession().id())).isInstanceOf(StatusMismatchException.class);
        assertThatThrownBy(() -> a.leases().claim(sessionIn(PAUSED).id())).isInstanceOf(StatusMismatchException.class);
        assertThatThrownBy(() -> a.leases().claim(SessionId.random())).isInstanceOf(SessionNotFoundException.class);
    }

    @Test
    void leavingActiveDropsTheLease() throws Exception {
        SessionService a = daemon("a");
        Session s = sessionIn(ACTIVE);
        a.leases().claim(s.id());
        a.pause(s.id());
        assertThat(a.leases().lease(s.id())).isEmpty();
        assertThat(a.leases().held(s.id())).isEmpty();
        a.resume(s.id());
        assertThat(a.leases().lease(s.id())).isEmpty();
    }

    @Test
    void aStaleOwnersWritesAreRefusedOnceItsSessionWasRecoveredAndReclaimed() throws Exception {
        SessionService a = daemon("a");
        SessionService b = daemonOnSecondHandle("b");
        Session s = sessionIn(ACTIVE);
        a.leases().claim(s.id());
        a.mergeContext(s.id(), "{\"by\":\"a\"}");
        advance(LEASE); // a stalls past its lease
        assertThat(b.recover()).containsExactly(s.id());
        b.resume(s.id());
        b.leases().claim(s.id());
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
        assertThat(a.leases().held(s.id())).isEmpty();
        // The new owner writes as usual.
        assertThat(json(b.mergeContext(s.id(), "{\"by\":\"b\"}").context()).get("by").asText()).isEqualTo("b");
    }

    @Test
    void anExpiredLeaseThatNobodyTookIsRenewedByItsHoldersNextWrite() throws Exception {
        SessionService a = daemon("a");
        Session s = sessionIn(ACTIVE);
        Lease first = a.leases().claim(s.id());
        advance(LEASE); // the heartbeat was late: nobody took the session meanwhile
        assertThat(json(a.mergeContext(s.id(), "{\"x\":1}").context()).get("x").asInt()).isEqualTo(1);
        Lease renewed = a.leases().held(s.id()).orElseThrow();
        assertThat(renewed.sameClaimAs(first)).isTrue();
        assertThat(renewed.expiresAt()).isAfter(first.expiresAt());
    }

    @Test
    void renewingKeepsLeasesNobodyTookEvenPastTheirExpiry() throws Exception {
        SessionService a = daemon("a");
        SessionService b = daemonOnSecondHandle("b");
        Session kept = sessionIn(ACTIVE);
        Session taken = sessionIn(ACTIVE);
        Lease first = a.leases().claim(kept.id());
        a.leases().claim(taken.id());
        advance(LEASE.minus(Duration.ofSeconds(1)));
        assertThat(a.leases().renew()).isEmpty();
        Lease renewed = a.leases().held(kept.id()).orElseThrow();
        assertThat(renewed.sameClaimAs(first)).isTrue();
        assertThat(renewed.expiresAt()).isAfter(first.expiresAt());
        advance(LEASE.plus(Duration.ofSeconds(1)));
        b.leases().claim(taken.id()); // expired, so b may take it; nobody takes the other
        assertThat(a.leases().renew()).containsExactly(taken.id());
        assertThat(a.leases().heldLeases()).extracting(Lease::sessionId).containsExactly(kept.id());
        assertThat(a.leases().lease(kept.id())).hasValueSatisfying(l -> assertThat(l.sameClaimAs(first)).isTrue());
        assertThat(a.leases().lease(taken.id())).hasValueSatisfying(l -> assertThat(l.owner()).isEqualTo(Actor.daemon("b")));
    }

    @Test
    void aClockStepForwardDoesNotCostADaemonItsUntakenLeases() throws Exception {
        SessionService a = daemon("a");
        Session s = sessionIn(ACTIVE);
        Lease first = a.leases().claim(s.id());
        advance(Duration.ofSeconds(60)); // the daemon's clock steps a minute forward between two beats
        assertThat(a.leases().renew()).isEmpty();
        assertThat(a.leases().held(s.id())).hasValueSatisfying(l -> assertThat(l.sameClaimAs(first)).isTrue());
        a.appendActivity(s.id(), "edit", "{}");
        assertThat(sessions.activities(s.id())).hasSize(1);
    }

    @Test
    void onlyADaemonClaims() {
        Session s = sessionIn(ACTIVE);
        // The CLI's handle: nobody would renew a lease it took, so it takes none.
        assertThatThrownBy(() -> ((SessionService) sessions).leases().claim(s.id()))
                .isInstanceOfSatisfying(DaemonRequiredException.class, e -> {
                    assertThat(e).isInstanceOf(ConflictException.class);
                    assertThat(e.actor()).isEqualTo(Actor.CLI);
                    assertThat(e.getMessage()).contains("only a daemon claims leases");
                });
        assertThat(((SessionService) sessions).leases().lease(s.id())).isEmpty();
    }

    @Test
    void theSameDaemonClaimingAgainKeepsItsClaim() throws Exception {
        SessionService a = daemon("a");
        Session s = sessionIn(ACTIVE);
        Lease first = a.leases().claim(s.id());
        Lease again = a.leases().claim(s.id());
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
        List<Race.Outcome<Lease>> outcomes = Race.run(RACERS, i -> () -> daemons.get(i).leases().claim(s.id()));
        assertThat(outcomes.stream().filter(Race.Outcome::won)).hasSize(1);
        assertThat(outcomes.stream().filter(o -> !o.won()).map(Race.Outcome::error))
                .allSatisfy(e -> assertThat(e).isInstanceOf(LeaseHeldException.class));
    }
}
