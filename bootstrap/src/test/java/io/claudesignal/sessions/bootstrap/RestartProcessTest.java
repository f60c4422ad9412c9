package io.claudesignal.sessions.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Lease;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.Transition;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A quick restart, with real JVMs on one SQLite file: two daemons run; a second process under the
 * first one's name is refused while it lives; both are killed with SIGKILL and the first is started
 * again at once. Its first {@code recover()} (the README's daemon example, run by {@link DaemonWorker})
 * returns its predecessor's sessions with no waiting, while the other daemon's stay ACTIVE and leased
 * until their leases expire.
 */
class RestartProcessTest {

    private static final int SESSIONS_EACH = 3;
    /** Long enough that no lease expires while the JVMs start on a busy machine. */
    private static final Duration LEASE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void killChildren() throws InterruptedException {
        for (Process child : children) {
            child.toHandle().destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aDaemonKilledAndStartedAgainAtOnceRecoversItsOwnSessionsAndNoOneElses() throws Exception {
        Path db = dir.resolve("sessions.db");
        SessionStore.openSqlite(db).close(); // made once, so the daemons do not race to create it
        Daemon crashing = start(db, "crashing");
        Daemon other = start(db, "other");
        assertThat(crashing.recovered).isEmpty();

        Daemon twin = start(db, "crashing");
        assertThat(twin.refusal).as("a second live process under one name").contains("daemon:crashing is already running");
        assertThat(twin.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(twin.process.exitValue()).isEqualTo(3);

        crashing.process.toHandle().destroyForcibly(); // SIGKILL: no lease released, no lock released by hand
        other.process.toHandle().destroyForcibly();
        assertThat(crashing.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(other.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        long killed = System.nanoTime();
        Daemon restarted = start(db, "crashing"); // at once: the OS released the dead one's lock with it
        System.out.printf("restart: recover() returned %d sessions %d ms after the kill%n",
                restarted.recovered.size(), Duration.ofNanos(restarted.readyAt - killed).toMillis());

        assertThat(restarted.refusal).isNull();
        assertThat(restarted.recovered).containsExactlyInAnyOrderElementsOf(crashing.owned);
        Instant otherLeasesEnd;
        try (SessionStore store = SessionStore.openSqlite(db)) {
            for (SessionId id : crashing.owned) {
                List<Transition> history = store.sessions().history(id);
                Transition recovery = history.get(history.size() - 2); // then the restarted daemon resumed it
                assertThat(recovery.reason()).isEqualTo(Transition.CRASH_RECOVERY);
                assertThat(recovery.actor()).isEqualTo(Actor.daemon("crashing"));
                assertThat(store.sessions().get(id).status()).isEqualTo(SessionStatus.ACTIVE);
                assertThat(store.leases().lease(id).orElseThrow().owner()).isEqualTo(Actor.daemon("crashing"));
            }
            otherLeasesEnd = Instant.EPOCH;
            for (SessionId id : other.owned) {
                assertThat(store.sessions().get(id).status()).as("the other daemon's lease is live").isEqualTo(SessionStatus.ACTIVE);
                Lease lease = store.leases().lease(id).orElseThrow();
                assertThat(lease.owner()).isEqualTo(Actor.daemon("other"));
                otherLeasesEnd = lease.expiresAt().isAfter(otherLeasesEnd) ? lease.expiresAt() : otherLeasesEnd;
            }
            assertThat(store.sessions().recover()).as("nothing else is abandoned yet").isEmpty();
        }
        // Once the other daemon's leases (never renewed since its death) expire, they are recovered too.
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), otherLeasesEnd).toMillis()) + 500);
        try (SessionStore store = SessionStore.openSqlite(db)) {
            assertThat(store.sessions().recover()).containsExactlyInAnyOrderElementsOf(other.owned);
            for (SessionId id : crashing.owned) {
                assertThat(store.sessions().get(id).status()).as("renewed by the restarted daemon").isEqualTo(SessionStatus.ACTIVE);
            }
        }
        assertThat(restarted.process.isAlive()).isTrue();
    }

    private static final class Daemon {
        final Process process;
        final List<SessionId> owned = new ArrayList<>();
        final List<SessionId> recovered = new ArrayList<>();
        String refusal;
        long readyAt;

        Daemon(Process process) {
            this.process = process;
        }
    }

    private Daemon start(Path db, String name) throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DaemonWorker.class.getName(),
                db.toString(), name, Integer.toString(SESSIONS_EACH), Long.toString(LEASE.toMillis()))
                .redirectErrorStream(true).start();
        children.add(process);
        Daemon daemon = new Daemon(process);
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder transcript = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null) {
            transcript.append(line).append('\n');
            if (line.startsWith("recovered ")) {
                daemon.recovered.add(SessionId.parse(line.substring("recovered ".length())));
            } else if (line.startsWith("owned ")) {
                daemon.owned.add(SessionId.parse(line.substring("owned ".length())));
            } else if (line.startsWith("refused ")) {
                daemon.refusal = line;
                return daemon;
            } else if (line.equals("ready")) {
                daemon.readyAt = System.nanoTime();
                return daemon;
            }
        }
        throw new AssertionError("daemon " + name + " ended before it was ready:\n" + transcript);
    }
}
