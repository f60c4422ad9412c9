package io.claudesignal.sessions.tck;

import static io.claudesignal.sessions.domain.SessionStatus.ACTIVE;
import static io.claudesignal.sessions.domain.SessionStatus.PAUSED;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.claudesignal.sessions.application.port.in.Sessions;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.Transition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Crash recovery: the ACTIVE sessions of owners that are gone become PAUSED, once each, with their
 * context kept and stamped.
 */
public abstract class RecoveryKit extends Kit {

    @Test
    void recoveryPausesExactlyTheSessionsOfOwnersThatAreGone() throws Exception {
        SessionService dead = daemon("dead");
        SessionService alive = daemonOnSecondHandle("alive");
        Session orphan1 = sessionIn(ACTIVE);
        Session orphan2 = sessionIn(ACTIVE);
        Session living = sessionIn(ACTIVE);
        Session paused = sessionIn(PAUSED);
        dead.leases().claim(orphan1.id());
        dead.leases().claim(orphan2.id());
        alive.leases().claim(living.id());
        advance(LEASE.minus(Duration.ofSeconds(5)));
        alive.leases().renew();
        advance(Duration.ofSeconds(6)); // dead's leases are now expired, alive's are not
        Instant before = clock.instant();

        List<SessionId> recovered = alive.recover();

        assertThat(recovered).containsExactlyInAnyOrder(orphan1.id(), orphan2.id());
        for (SessionId id : recovered) {
            Session s = sessions.get(id);
            assertThat(s.status()).isEqualTo(PAUSED);
            assertThat(s.version()).isEqualTo(3);
            Instant stamped = Instant.parse(json(s.context()).get(Session.RECOVERED_AT).asText());
            assertThat(stamped).isAfter(before);
            assertThat(s.updatedAt()).isEqualTo(stamped);
            Transition last = sessions.history(id).get(sessions.history(id).size() - 1);
            assertThat(last).isEqualTo(new Transition(id, ACTIVE, PAUSED, stamped, Transition.CRASH_RECOVERY,
                    Actor.daemon("alive")));
            assertThat(alive.leases().lease(id)).isEmpty();
        }
        assertThat(sessions.get(living.id()).status()).isEqualTo(ACTIVE);
        assertThat(sessions.get(living.id()).version()).isEqualTo(living.version());
        assertThat(sessions.get(paused.id())).isEqualTo(paused);
        assertThat(alive.leases().held(living.id())).isPresent();
        assertThat(alive.recover()).as("idempotent").isEmpty();
    }

    @Test
    void anUnownedActiveSessionIsRecoveredOnlyOnceItHasBeenIdleForALease() throws Exception {
        Session fresh = sessionIn(ACTIVE); // activated by the CLI: nobody holds a lease
        assertThat(sessions.recover()).isEmpty();
        assertThat(sessions.get(fresh.id()).status()).isEqualTo(ACTIVE);
        advance(LEASE);
        assertThat(sessions.recover()).containsExactly(fresh.id());
        assertThat(sessions.history(fresh.id()).get(1).actor()).isEqualTo(Actor.CLI);
    }

    @Test
    void recoveryKeepsTheContextAndAddsTheStamp() throws Exception {
        Session s = sessionIn(ACTIVE);
        sessions.mergeContext(s.id(), "{\"conversation_history\":{\"turns\":[1,2.50,\"\u00e9\"]},\"n\":1}");
        advance(LEASE);
        sessions.recover();
        JsonNode context = json(sessions.get(s.id()).context());
        assertThat(context.get("conversation_history")).isEqualTo(json("{\"turns\":[1,2.50,\"\u00e9\"]}"));
        assertThat(context.get("n").asInt()).isEqualTo(1);
        assertThat(context.has(Session.RECOVERED_AT)).isTrue();
    }

    @Test
    void twoRecoveriesRacingRecoverEachSessionExactlyOnce() throws Exception {
        Sessions other = secondService();
        for (int round = 0; round < 3; round++) {
            List<SessionId> orphans = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                orphans.add(sessionIn(ACTIVE).id());
            }
            advance(LEASE);
            List<Race.Outcome<List<SessionId>>> outcomes = Race.run(RACERS,
                    i -> () -> onHandle(i, sessions, other).recover());
            assertThat(outcomes).allSatisfy(o -> assertThat(o.error()).isNull());
            List<SessionId> all = outcomes.stream().flatMap(o -> o.value().stream()).toList();
            assertThat(all).containsExactlyInAnyOrderElementsOf(orphans);
            for (SessionId id : orphans) {
                assertThat(sessions.history(id)).filteredOn(t -> t.reason().equals(Transition.CRASH_RECOVERY)).hasSize(1);
                assertThat(sessions.get(id).version()).isEqualTo(3);
            }
        }
    }
}
