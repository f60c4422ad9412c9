package io.claudesignal.sessions.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudesignal.sessions.application.port.in.SessionEvent;
import io.claudesignal.sessions.bootstrap.SessionStore;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The change feed across processes, as issue 15 asks: a daemon runs a session in this JVM, the person
 * runs {@code sessions pause ID} in a JVM of its own, and the daemon's listener hears it, with the
 * CLI as actor, and forgets its lease. The delay (from the CLI's commit timestamp to the listener) is
 * measured and printed; the only assertion on it is a generous ceiling.
 */
class CrossProcessFeedTest {

    @TempDir
    Path dir;

    @Test
    void aDaemonOnSqliteHearsTheCliPauseItsSession() throws Exception {
        CrossProcess.onSqlite(dir, (daemon, db) -> hearsThePause("sqlite", daemon, db));
    }

    @Test
    void aDaemonOnPostgresHearsTheCliPauseItsSession() throws Exception {
        CrossProcess.onPostgres("feed_", "the feed on PostgreSQL", (daemon, db) -> hearsThePause("postgres", daemon, db));
    }

    private void hearsThePause(String adapter, SessionStore daemon, String... dbOption) throws Exception {
        Session s = daemon.sessions().activate(daemon.sessions().create("/home/ana/code/webapp", "+15551234567").id());
        daemon.leases().claim(s.id());
        BlockingQueue<SessionEvent> heard = new LinkedBlockingQueue<>();
        List<Instant> heardAt = new ArrayList<>();
        daemon.sessions().subscribe(event -> {
            synchronized (heardAt) {
                heardAt.add(Instant.now());
            }
            heard.add(event);
        });

        List<String> args = new ArrayList<>(List.of(dbOption));
        args.addAll(List.of("pause", s.id().toString()));
        assertThat(CrossProcess.runCli(dir, args)).as("the CLI's exit code").isZero();

        SessionEvent first = heard.poll(CrossProcess.CEILING.toSeconds(), TimeUnit.SECONDS);
        assertThat(first).as("heard within " + CrossProcess.CEILING).isInstanceOf(SessionEvent.Transitioned.class);
        SessionEvent.Transitioned paused = (SessionEvent.Transitioned) first;
        assertThat(paused.transition().to()).isEqualTo(SessionStatus.PAUSED);
        assertThat(paused.transition().actor()).isEqualTo(Actor.CLI);
        Duration delay;
        synchronized (heardAt) {
            delay = Duration.between(paused.transition().at(), heardAt.get(0));
        }
        System.out.printf("change feed (%s): the CLI's pause was heard %d ms after its commit timestamp%n",
                adapter, delay.toMillis());
        assertThat(delay).isLessThan(CrossProcess.CEILING);
        assertThat(heard.poll(CrossProcess.CEILING.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(SessionEvent.LeaseLost.class);
        assertThat(daemon.leases().held(s.id())).isEmpty();
    }
}
