package io.claudesignal.sessions.adapters.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.SessionId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 24's two migrations over a file as the store wrote it before them (schema 8): V9 rebuilds the
 * change log once, keeping its rows and positions, with one check on a kind's shape; V10 adds the
 * inbox and outbox without touching the log again; and the four new kinds of change are accepted.
 */
class MessagesAndApprovalsUpgradeTest {

    private static final String ID = "4c59adf8-6832-4cfa-92f4-4ee146654006";

    @TempDir
    Path dir;

    @Test
    void aFileOfSchema8KeepsItsChangeLogAndTakesApprovalsAndMessages() throws Exception {
        Path file = dir.resolve("v8.db");
        Flyway.configure().dataSource("jdbc:sqlite:" + file, null, null).locations(SchemaGuard.MIGRATIONS).target("8")
                .load().migrate();
        try (Connection c = connect(file); Statement st = c.createStatement()) {
            st.execute("INSERT INTO sessions (id, project_path, thread_id, status, created_at, updated_at, version, "
                    + "context) VALUES ('" + ID + "', '/p', 't', 'CREATED', '2026-01-01T00:00:00.000000Z', "
                    + "'2026-01-01T00:00:00.000000Z', 1, '{}')");
            st.execute("INSERT INTO changes (seq, session_id, kind, actor, changed_at, origin) VALUES (41, '" + ID
                    + "', 'CREATED', 'cli', '2026-01-01T00:00:00.000000Z', 0)");
        }
        // Made here by Flyway directly; the store would have made it owner-only.
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        try (SqliteStorage storage = SqliteStorage.open(file);
                SessionService service = new SessionService(storage.persistence(), Clock.systemUTC(),
                        SessionIdGenerator.random(), new ContextJson())) {
            SessionId id = SessionId.parse(ID);
            service.activate(id);
            service.approvals().request(id, "{\"tool\":\"Bash\"}", "call-1");
            service.inbox().receive(id, "{\"text\":\"hi\"}", "m-1");
            service.outbox().enqueue(id, "{\"text\":\"done\"}", "r-1");
            assertThat(storage.diagnostics().run()).allSatisfy(check -> assertThat(check.ok()).as(check.detail()).isTrue());
        }

        try (Connection c = connect(file); Statement st = c.createStatement()) {
            assertThat(single(st, "PRAGMA user_version")).isEqualTo(String.valueOf(SchemaGuard.SCHEMA_VERSION));
            assertThat(rows(st, "SELECT seq || ' ' || kind FROM changes ORDER BY seq")).startsWith("41 CREATED")
                    .anyMatch(r -> r.endsWith(" TRANSITIONED")).anyMatch(r -> r.endsWith(" APPROVAL_REQUESTED"))
                    .anyMatch(r -> r.endsWith(" MESSAGE_RECEIVED")).anyMatch(r -> r.endsWith(" REPLY_QUEUED"));
            String table = single(st, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'changes'");
            assertThat(table.split("GLOB", -1)).as(table).hasSize(2);
            // V12 dropped both: every read of SQLite's log is a range of its rowid (see LogOrder).
            assertThat(rows(st, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'changes' "
                    + "AND sql IS NOT NULL ORDER BY name")).isEmpty();
        }
    }

    private static Connection connect(Path file) throws Exception {
        return DriverManager.getConnection("jdbc:sqlite:" + file);
    }

    private static String single(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getString(1);
        }
    }

    private static List<String> rows(Statement st, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
