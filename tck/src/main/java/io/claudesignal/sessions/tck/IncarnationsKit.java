package io.claudesignal.sessions.tck;

import static io.claudesignal.sessions.domain.SessionStatus.ACTIVE;
import static io.claudesignal.sessions.domain.SessionStatus.PAUSED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.LeaseLostException;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.Transition;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A daemon's stable name and its incarnations: a restart fences the dead predecessor's leases at
 * once, so its sessions come back on the first {@code recover()}; a predecessor still alive is
 * fenced; other daemons' sessions keep the usual rules. And lease errors that say what happened.
 */
public abstract class IncarnationsKit extends Kit {

    @Test
    void eachStartUnderANameIsTheNextIncarnation() throws Exception {
        assertThat(daemon("a").incarnation()).isEqualTo(1);
        assertThat(daemonOnSecondHandle("a").incarnation()).isEqualTo(2);
        assertThat(daemon("b").incarnation()).isEqualTo(1);
        assertThat(((SessionService) sessions).incarnation()).isZero();
    }

    @Test
    void aRestartRecoversItsPredecessorsSessionsAtOnceAndLeavesOtherDaemonsAlone() throws Exception {
        SessionService before = daemon("a");
        SessionService other = daemonOnSecondHandle("b");
        Session first = sessionIn(ACTIVE);
        Session second = sessionIn(ACTIVE);
        Session others = sessionIn(ACTIVE);
        before.leases().claim(first.id());
        before.leases().claim(second.id());
        other.leases().claim(others.id());

        SessionService restarted = daemonOnSecondHandle("a"); // no time passes: the leases are all live

        assertThat(restarted.recover()).containsExactlyInAnyOrder(first.id(), second.id());
        for (Session s : List.of(first, second)) {
            Session now = sessions.get(s.id());
            assertThat(now.status()).isEqualTo(PAUSED);
            assertThat(json(now.context()).has(Session.RECOVERED_AT)).isTrue();
            List<Transition> history = sessions.history(s.id());
            Transition last = history.get(history.size() - 1);
            assertThat(last.reason()).isEqualTo(Transition.CRASH_RECOVERY);
            assertThat(last.actor()).isEqualTo(Actor.daemon("a"));
            assertThat(restarted.leases().lease(s.id())).isEmpty();
        }
        assertThat(sessions.get(others.id()).status()).isEqualTo(ACTIVE);
        assertThat(other.leases().held(others.id())).isPresent();
        other.mergeContext(others.id(), "{\"still\":\"b's\"}");
        // The restarted daemon resumes and runs what its predecessor ran.
        restarted.resume(first.id());
        restarted.leases().claim(first.id());
        restarted.mergeContext(first.id(), "{\"by\":\"a, again\"}");
    }

    @Test
    void aPredecessorStillAliveIsFenced() throws Exception {
        SessionService old = daemon("a");
        Session s = sessionIn(ACTIVE);
        Session unclaimed = sessionIn(ACTIVE);
        old.leases().claim(s.id());
        Session before = sessions.get(s.id());

        SessionService newer = daemonOnSecondHandle("a");

        assertThatThrownBy(() -> old.mergeContext(s.id(), "{\"by\":\"old\"}"))
                .isInstanceOf(LeaseLostException.class)
                .hasMessageContaining("newer incarnation of daemon:a")
                .hasMessageContaining("incarnation 2");
        assertThatThrownBy(() -> old.appendActivity(s.id(), "edit", "{}")).isInstanceOf(LeaseLostException.class);
        assertThat(sessions.get(s.id())).isEqualTo(before);
        assertThat(sessions.activities(s.id())).isEmpty();
        // Its heartbeat renews nothing, and it can claim nothing any more.
        assertThat(old.leases().renew()).isEmpty();
        assertThatThrownBy(() -> old.leases().claim(unclaimed.id()))
                .isInstanceOf(LeaseLostException.class)
                .hasMessageContaining("newer incarnation");
        assertThat(newer.leases().claim(unclaimed.id()).owner()).isEqualTo(Actor.daemon("a"));
    }

    @Test
    void aLeaseLostToAnotherDaemonSaysWho() throws Exception {
        SessionService a = daemon("a");
        SessionService b = daemonOnSecondHandle("b");
        Session s = sessionIn(ACTIVE);
        a.leases().claim(s.id());
        advance(LEASE.plusSeconds(1));
        b.leases().claim(s.id());
        assertThatThrownBy(() -> a.mergeContext(s.id(), "{}"))
                .isInstanceOf(LeaseLostException.class)
                .hasMessageContaining("claimed by daemon:b");
    }

    @Test
    void aLeaseLostToThePersonSaysSo() throws Exception {
        SessionService a = daemon("a");
        Session paused = sessionIn(ACTIVE);
        Session terminated = sessionIn(ACTIVE);
        a.leases().claim(paused.id());
        a.leases().claim(terminated.id());
        sessions.pause(paused.id());
        sessions.terminate(terminated.id());
        assertThatThrownBy(() -> a.mergeContext(paused.id(), "{}"))
                .isInstanceOf(LeaseLostException.class)
                .hasMessageContaining("paused by cli");
        assertThatThrownBy(() -> a.appendActivity(terminated.id(), "edit", "{}"))
                .isInstanceOf(LeaseLostException.class)
                .hasMessageContaining("terminated by cli");
    }

    @Test
    void aLeaseLostToRecoverySaysWhoRecovered() throws Exception {
        SessionService a = daemon("a");
        Session s = sessionIn(ACTIVE);
        a.leases().claim(s.id());
        advance(LEASE.plusSeconds(1));
        assertThat(daemonOnSecondHandle("rescuer").recover()).containsExactly(s.id());
        assertThatThrownBy(() -> a.mergeContext(s.id(), "{}"))
                .isInstanceOf(LeaseLostException.class)
                .hasMessageContaining("recovered (crash-recovery) by daemon:rescuer");
    }
}
