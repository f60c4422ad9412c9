package io.claudesignal.sessions.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.claudesignal.sessions.adapters.postgres.PostgresSettings;
import io.claudesignal.sessions.application.port.in.ExportRequest;
import io.claudesignal.sessions.application.port.in.ImportReport;
import io.claudesignal.sessions.application.port.in.Progress;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Approval;
import io.claudesignal.sessions.domain.Reply;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.tck.HostileContent;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An export moves between all three stores byte for byte: SQLite -> PostgreSQL -> in memory -> SQLite,
 * over the hostile content of the TCK (multi-line and 1 MiB items, a transcript over 5 MB) and a
 * session's approvals, inbox and outbox. The
 * PostgreSQL server is the one of {@code SESSIONS_TEST_POSTGRES_URL}, else the local one; without one
 * the test is skipped (and fails under {@code CI=true}).
 */
class CrossStoreExportTest {

    private static final String LOCAL_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    @Test
    void anExportGoesThroughEveryStoreUnchanged(@TempDir Path dir) throws Exception {
        String url = postgresUrl();
        String schema = "test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        String first;
        try (SessionStore sqlite = SessionStore.openSqlite(dir.resolve("first.db"))) {
            HostileContent.fill(sqlite.sessions(), sqlite.transcripts());
            inFlight(sqlite);
            first = export(sqlite);
        }
        assertThat(first.length()).isGreaterThan(5_000_000);
        // Nothing is left taken or claimed, so every store writes the line it read (docs/export-format.md).
        assertThat(first).contains("\"approvals\":[{").contains("\"inbox\":[{").contains("\"outbox\":[{")
                .contains("\"state\":\"APPROVED\"").contains("\"state\":\"DONE\"").contains("\"state\":\"SENT\"")
                .contains("\"lastError\":\"bounced\"");
        try {
            String fromPostgres;
            try (SessionStore postgres = SessionStore.openPostgres(url, PostgresSettings.defaults().withSchema(schema))) {
                fromPostgres = importAndExport(postgres, first);
            }
            assertThat(fromPostgres).as("SQLite -> PostgreSQL").isEqualTo(first);
        } finally {
            execute(url, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
        String fromMemory;
        try (SessionStore memory = SessionStore.inMemory()) {
            fromMemory = importAndExport(memory, first);
        }
        assertThat(fromMemory).as("PostgreSQL -> in memory").isEqualTo(first);
        try (SessionStore sqlite = SessionStore.openSqlite(dir.resolve("last.db"))) {
            assertThat(importAndExport(sqlite, fromMemory)).as("in memory -> SQLite").isEqualTo(first);
        }
    }

    /**
     * A session with something of each in flight: approvals decided and pending (their requests
     * pretty-printed, with a number the text keeps), messages handled and waiting, replies sent, failed
     * and waiting; so that the test also shows the timestamps and texts of each cross both SQL dialects.
     */
    private static void inFlight(SessionStore store) {
        SessionId id = store.sessions().activate(store.sessions().create("/home/ana/code/webapp", "+15551234567").id()).id();
        Approval approved = store.approvals().request(id, "{\n  \"tool\": \"Bash\",\n  \"n\": 1.50\n}\n", "tool-1");
        store.approvals().decide(approved.id(), Approval.Decision.APPROVE, Actor.CLI, "yes,\tgo");
        store.approvals().request(id, "{\"tool\": \"Edit\"}", "tool-2", Duration.ofDays(3));
        store.inbox().receive(id, "{\"text\": \"caf\\u00e9 -0.0\"}", "m-1");
        store.inbox().receive(id, "{\"text\": \"second\"}", "m-2");
        store.inbox().done(id, store.inbox().next(id).orElseThrow().seq());
        Reply sent = store.outbox().enqueue(id, "{\"text\": \"one\"}", "r-1");
        store.outbox().enqueue(id, "{\"text\": \"two\"}", "r-2");
        store.outbox().enqueue(id, "{\"text\": \"three\"}", "r-3");
        assertThat(store.outbox().claim(1, Duration.ofSeconds(30))).extracting(Reply::key).containsExactly("r-1");
        store.outbox().sent(sent.id());
        Reply failing = store.outbox().claim(1, Duration.ofSeconds(30)).get(0);
        store.outbox().failed(failing.id(), "bounced");
    }

    private static String importAndExport(SessionStore store, String lines) {
        ImportReport report = store.maintenance().importFrom(new StringReader(lines), Progress.NONE);
        assertThat(report.imported()).isEqualTo(lines.lines().count());
        return export(store);
    }

    private static String export(SessionStore store) {
        StringWriter out = new StringWriter();
        store.maintenance().exportTo(out, ExportRequest.all());
        return out.toString();
    }

    private static String postgresUrl() {
        String url = System.getenv("SESSIONS_TEST_POSTGRES_URL");
        if (url == null || url.isBlank()) {
            url = LOCAL_URL;
        }
        try {
            DriverManager.getConnection(url).close();
            return url;
        } catch (SQLException e) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true and no PostgreSQL server answers at " + url + ": " + e.getMessage());
            }
            Assumptions.abort("no PostgreSQL server answers at " + url + " (set SESSIONS_TEST_POSTGRES_URL)");
            return null;
        }
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
