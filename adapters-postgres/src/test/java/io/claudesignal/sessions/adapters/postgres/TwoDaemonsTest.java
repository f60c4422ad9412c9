package io.claudesignal.sessions.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.claudesignal.sessions.application.port.out.Persistence;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.Transition;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two daemons, two JVMs, one database: one is killed with SIGKILL; once its leases expire, the other
 * recovers exactly the dead one's ACTIVE sessions and none of its own.
 */
@ExtendWith(PostgresServer.class)
class TwoDaemonsTest {

    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final Duration HEARTBEAT = Duration.ofMillis(500);
    private static final int SESSIONS_EACH = 3;

    private final String schema = PostgresServer.freshSchema();
    private final List<Daemon> daemons = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (Daemon daemon : daemons) {
            daemon.process.toHandle().destroyForcibly();
            daemon.process.waitFor(5, TimeUnit.MINUTES);
        }
        PostgresServer.dropSchema(schema);
    }

    @Test
    void theSurvivorRecoversExactlyTheDeadDaemonsActiveSessions() throws Exception {
        // The parent creates the schema, so that the daemons start on a migrated database.
        try (PostgresStorage storage = open()) {
            assertThat(storage.diagnostics().run()).allSatisfy(check -> assertThat(check.ok()).as(check.toString()).isTrue());
        }
        Daemon doomed = start("doomed");
        Daemon survivor = start("survivor");
        doomed.awaitReady();
        survivor.awaitReady();

        assertThat(survivor.recover()).as("while both live, nothing is abandoned").isEmpty();

        doomed.process.toHandle().destroyForcibly(); // SIGKILL: no shutdown hook, no lease released
        assertThat(doomed.process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        Instant killed = Instant.now();
        Thread.sleep(LEASE.plus(HEARTBEAT).toMillis()); // the doomed daemon's last renewal has expired

        List<SessionId> recovered = survivor.recover();

        assertThat(recovered).containsExactlyInAnyOrderElementsOf(doomed.active);
        assertThat(survivor.recover()).as("each session is recovered once").isEmpty();
        try (PostgresStorage storage = open()) {
            Persistence db = storage.persistence();
            ObjectMapper json = new ObjectMapper();
            for (SessionId id : doomed.active) {
                Session s = db.sessions().findById(id).orElseThrow();
                assertThat(s.status()).isEqualTo(SessionStatus.PAUSED);
                Instant stamp = Instant.parse(json.readTree(s.context()).get(Session.RECOVERED_AT).asText());
                assertThat(stamp).isAfter(killed);
                assertThat(json.readTree(s.context()).get("daemon").asText()).isEqualTo("doomed");
                Transition last = db.sessions().history(id).get(db.sessions().history(id).size() - 1);
                assertThat(last.reason()).isEqualTo(Transition.CRASH_RECOVERY);
                assertThat(last.actor()).isEqualTo(Actor.daemon("survivor"));
                assertThat(last.at()).isEqualTo(stamp);
                assertThat(db.leases().find(id)).isEmpty();
            }
            assertThat(db.sessions().findById(doomed.paused).orElseThrow().status()).isEqualTo(SessionStatus.PAUSED);
            assertThat(db.sessions().history(doomed.paused)).noneMatch(t -> t.reason().equals(Transition.CRASH_RECOVERY));
            for (SessionId id : survivor.active) {
                assertThat(db.sessions().findById(id).orElseThrow().status()).isEqualTo(SessionStatus.ACTIVE);
                assertThat(db.leases().find(id).orElseThrow().owner()).isEqualTo(Actor.daemon("survivor"));
                assertThat(db.leases().find(id).orElseThrow().expiresAt()).isAfter(Instant.now());
            }
        }
        survivor.stop();
    }

    private PostgresStorage open() {
        return PostgresStorage.open(PostgresServer.url(), PostgresSettings.defaults().withSchema(schema).withMaxPoolSize(2));
    }

    private Daemon start(String name) throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), DaemonProcess.class.getName(),
                PostgresServer.url(), schema, name, Integer.toString(SESSIONS_EACH),
                Long.toString(LEASE.toMillis()), Long.toString(HEARTBEAT.toMillis()))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        Daemon daemon = new Daemon(name, process);
        daemons.add(daemon);
        return daemon;
    }

    private static final class Daemon {
        final String name;
        final Process process;
        final BufferedReader out;
        final Writer in;
        final Set<SessionId> active = new HashSet<>();
        SessionId paused;

        Daemon(String name, Process process) {
            this.name = name;
            this.process = process;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        }

        void awaitReady() throws Exception {
            String line;
            while (!"ready".equals(line = readLine())) {
                if (line.startsWith("active ")) {
                    active.add(SessionId.parse(line.substring(7)));
                } else if (line.startsWith("paused ")) {
                    paused = SessionId.parse(line.substring(7));
                }
            }
            assertThat(active).hasSize(SESSIONS_EACH);
            assertThat(paused).isNotNull();
        }

        List<SessionId> recover() throws Exception {
            in.write("recover\n");
            in.flush();
            List<SessionId> recovered = new ArrayList<>();
            String line;
            while (!"done".equals(line = readLine())) {
                recovered.add(SessionId.parse(line.substring("recovered ".length())));
            }
            return recovered;
        }

        void stop() throws Exception {
            in.close();
            assertThat(process.waitFor(5, TimeUnit.MINUTES)).as(name + " exits when its input ends").isTrue();
            assertThat(process.exitValue()).isZero();
        }

        private String readLine() throws Exception {
            String line = out.readLine();
            assertThat(line).as(name + " ended early (exit " + (process.isAlive() ? "-" : process.exitValue()) + ")")
                    .isNotNull();
            return line;
        }
    }
}
