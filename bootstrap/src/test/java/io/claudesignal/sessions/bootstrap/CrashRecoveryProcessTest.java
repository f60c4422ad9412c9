package io.claudesignal.sessions.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.claudesignal.sessions.adapters.sqlite.SqliteSettings;
import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.application.port.in.Sessions;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.Transition;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon dies: two real daemon JVMs share one database; one is killed with SIGKILL mid-run. A
 * third process (this one) recovers after the dead one's leases expired and gets exactly its ACTIVE
 * sessions back as PAUSED, while the live daemon, still renewing by heartbeat, keeps all of its own.
 */
class CrashRecoveryProcessTest {

    private static final int SESSIONS_EACH = 4;

    @TempDir
    Path dir;

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void killChildren() {
        children.forEach(child -> child.toHandle().destroyForcibly());
    }

    @Test
    void recoveryAfterSigkillReturnsExactlyTheDeadDaemonsSessions() throws Exception {
        Path db = dir.resolve("sessions.db");
        SessionStore.openSqlite(db).close(); // made once, so the two daemons do not race to create it
        Daemon doomed = start(db, "doomed");
        Daemon living = start(db, "living");

        Session unowned;
        Map<SessionId, Session> before = new HashMap<>();
        try (SessionStore store = SessionStore.openSqlite(db)) {
            for (SessionId id : living.owned) {
                before.put(id, store.sessions().get(id));
            }
            // A session that was PAUSED before the crash stays as it is.
            unowned = store.sessions().pause(store.sessions().activate(store.sessions().create("/p", "t").id()).id());
        }

        doomed.process.toHandle().destroyForcibly(); // SIGKILL: no shutdown hook, no release of anything
        assertThat(doomed.process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(doomed.process.exitValue()).isEqualTo(137);

        SessionsConfig recoverer = SessionsConfig.of(Actor.daemon("restarted"))
                .withLease(DaemonWorker.LEASE, DaemonWorker.HEARTBEAT);
        try (SessionStore store = SessionStore.openSqlite(db, SqliteSettings.defaults(), recoverer)) {
            Sessions sessions = store.sessions();
            // Before the leases expire, nothing is recovered: the dead owner cannot be told from a slow one.
            Instant killedAt = Instant.now();
            List<SessionId> recovered = new ArrayList<>(sessions.recover());
            assertThat(recovered).as("recovered while the leases were still live").isEmpty();

            Thread.sleep(DaemonWorker.LEASE.plusMillis(500).toMillis());
            recovered.addAll(sessions.recover());

            assertThat(recovered).containsExactlyInAnyOrderElementsOf(doomed.owned);
            for (SessionId id : doomed.owned) {
                Session s = sessions.get(id);
                assertThat(s.status()).isEqualTo(SessionStatus.PAUSED);
                var context = new ObjectMapper().readTree(s.context());
                assertThat(Instant.parse(context.get(Session.RECOVERED_AT).asText())).isAfter(killedAt);
                assertThat(context.has("conversation_history")).as("context kept").isTrue();
                Transition last = sessions.history(id).get(sessions.history(id).size() - 1);
                assertThat(last.from()).isEqualTo(SessionStatus.ACTIVE);
                assertThat(last.to()).isEqualTo(SessionStatus.PAUSED);
                assertThat(last.reason()).isEqualTo(Transition.CRASH_RECOVERY);
                assertThat(last.actor()).isEqualTo(Actor.daemon("restarted"));
                assertThat(store.leases().lease(id)).isEmpty();
                assertThat(sessions.activities(id)).hasSize(1);
            }
            for (SessionId id : living.owned) {
                assertThat(sessions.get(id)).as("the live daemon's session is untouched").isEqualTo(before.get(id));
                assertThat(store.leases().lease(id)).hasValueSatisfying(
                        lease -> assertThat(lease.owner()).isEqualTo(Actor.daemon("living")));
            }
            assertThat(sessions.get(unowned.id())).isEqualTo(unowned);
            assertThat(sessions.recover()).as("a second recovery finds nothing").isEmpty();
        }
        assertThat(living.process.isAlive()).isTrue();
    }

    private record Daemon(Process process, List<SessionId> owned) {
    }

    private Daemon start(Path db, String name) throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DaemonWorker.class.getName(),
                db.toString(), name, Integer.toString(SESSIONS_EACH))
                .redirectErrorStream(true).start();
        children.add(process);
        List<SessionId> owned = new ArrayList<>();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder transcript = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null) {
            transcript.append(line).append('\n');
            if (line.startsWith("owned ")) {
                owned.add(SessionId.parse(line.substring("owned ".length())));
            } else if (line.equals("ready")) {
                return new Daemon(process, List.copyOf(owned));
            }
        }
        throw new AssertionError("daemon " + name + " ended before it was ready:\n" + transcript);
    }
}
