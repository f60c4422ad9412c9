package io.claudesignal.sessions.adapters.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudesignal.sessions.tck.TestClock;
import io.claudesignal.sessions.application.port.out.HealthCheck;
import io.claudesignal.sessions.application.port.in.SessionQuery;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.tck.TestClock;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Item 11 of the reliability suite: closing any descriptor of a file drops every POSIX lock the
 * process holds on it, SQLite's included. This process holds a write transaction; the application's
 * own code then runs on the same file (a second store opening it, the health check, reads, closing);
 * afterwards another process's {@code BEGIN IMMEDIATE} with no busy timeout must still get
 * SQLITE_BUSY. The control shows that a stray open-and-close of the -shm does let the other process in.
 */
class LockHygieneTest {

    @TempDir
    Path dir;

    @Test
    void theApplicationsOwnCodeDoesNotDropTheLocksThisProcessHolds() throws Exception {
        Path db = dir.resolve("sessions.db");
        Session session = seed(db);
        try (Connection holder = Ledger.open(db); Statement s = holder.createStatement()) {
            s.execute("PRAGMA busy_timeout = 0");
            s.execute("BEGIN IMMEDIATE");
            s.execute("UPDATE sessions SET version = version WHERE id = '" + session.id() + "'");
            assertThat(probe(db)).as("the lock is held before anything runs").startsWith("BUSY");

            try (SqliteStorage other = SqliteStorage.open(db)) {
                List<HealthCheck> checks = other.diagnostics().run();
                assertThat(checks).extracting(HealthCheck::name).contains("integrity", "settings", "file modes");
                assertThat(checks).filteredOn(c -> c.name().equals("integrity")).allMatch(HealthCheck::ok);
                SessionService sessions = service(other);
                assertThat(sessions.get(session.id()).id()).isEqualTo(session.id());
                assertThat(sessions.list(SessionQuery.all()).sessions()).hasSize(1);
            }
            assertThat(probe(db)).as("after the application's open, check, reads and close").startsWith("BUSY");
            s.execute("ROLLBACK");
        }
        assertThat(probe(db)).as("once released, the lock is free").isEqualTo("GOT");
    }

    @Test
    void controlOpeningAndClosingTheShmInThisProcessDoesDropTheLock() throws Exception {
        Path db = dir.resolve("sessions.db");
        Session session = seed(db);
        try (Connection holder = Ledger.open(db); Statement s = holder.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            s.execute("UPDATE sessions SET version = version WHERE id = '" + session.id() + "'");
            assertThat(probe(db)).startsWith("BUSY");
            FileChannel.open(StoreFiles.companion(db, "-shm"), StandardOpenOption.READ).close();
            assertThat(probe(db)).as("a stray descriptor closed: the write lock is gone").isEqualTo("GOT");
            s.execute("ROLLBACK");
        }
    }

    private static Session seed(Path db) {
        try (SqliteStorage storage = SqliteStorage.open(db)) {
            return service(storage).create("/p", "t");
        }
    }

    private static SessionService service(SqliteStorage storage) {
        return new SessionService(storage.persistence(), new TestClock(), SessionIdGenerator.random(), new ContextJson());
    }

    /** Another process's BEGIN IMMEDIATE with busy_timeout 0: "BUSY ..." or "GOT". */
    private static String probe(Path db) throws Exception {
        Process p = new ProcessBuilder(MultiProcessTest.javaBinary(), "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), LockProbe.class.getName(), db.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return out.lines().filter(l -> l.startsWith("BUSY") || l.startsWith("GOT") || l.startsWith("ERROR"))
                .findFirst().orElse(out);
    }
}
