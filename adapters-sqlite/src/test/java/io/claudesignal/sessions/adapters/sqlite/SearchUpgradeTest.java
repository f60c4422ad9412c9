package io.claudesignal.sessions.adapters.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudesignal.sessions.application.port.in.TranscriptMatch;
import io.claudesignal.sessions.application.port.in.TranscriptQuery;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.tck.TestClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database of schema version 8 (before search) holds transcripts: opening it backs it up beside
 * itself and indexes them in the migration, oldest first, so that they are found newest first.
 */
class SearchUpgradeTest {

    private static final String A = "4c59adf8-6832-4cfa-92f4-4ee146654006";
    private static final String B = "5d6abe09-7943-4dfb-a305-5ff257765117";

    @TempDir
    Path dir;

    @Test
    void theTranscriptsOfAnOlderDatabaseAreIndexedOnUpgradeAfterABackup() throws Exception {
        Path file = dir.resolve("sessions.db");
        Flyway.configure().dataSource("jdbc:sqlite:" + file, null, null).locations(SchemaGuard.MIGRATIONS)
                .target("8").load().migrate();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            for (String id : List.of(A, B)) {
                s.execute("INSERT INTO sessions (id, project_path, thread_id, status, created_at, updated_at, version, context)"
                        + " VALUES ('" + id + "', '/p', 't', 'ACTIVE', '2026-01-26T01:58:12.123456Z', "
                        + "'2026-01-26T01:58:12.123456Z', 1, '{}')");
                s.execute("INSERT INTO transcripts (session_id, last_seq) VALUES ('" + id + "', 2)");
            }
            s.execute("INSERT INTO transcript_items (session_id, seq, item_key, appended_at, item) VALUES "
                    + "('" + B + "', 1, NULL, '2026-01-26T02:00:00.000000Z', '{\"content\": \"the login bug\", \"n\": 7}'), "
                    + "('" + A + "', 1, NULL, '2026-01-26T03:00:00.000000Z', '{\"content\": \"login bug again\"}'), "
                    + "('" + A + "', 2, NULL, '2026-01-26T04:00:00.000000Z', '{\"content\": \"nothing\"}'), "
                    + "('" + B + "', 2, NULL, '2026-01-26T05:00:00.000000Z', '{\"content\": [\"Login\", {\"t\": \"BUG\"}]}')");
            assertThat(SchemaGuard.inspect(file, SqliteSettings.defaults())).isEqualTo(SchemaGuard.Kind.OLDER);
        }
        try (SqliteStorage storage = SqliteStorage.open(file)) {
            SessionService sessions = new SessionService(storage.persistence(), new TestClock(),
                    SessionIdGenerator.random(), new ContextJson());
            List<String> found = sessions.transcripts().search(TranscriptQuery.of("login bug")).matches().stream()
                    .map(SearchUpgradeTest::where).toList();
            assertThat(found).containsExactly(B + "/2", A + "/1", B + "/1");
            assertThat(sessions.transcripts().search(TranscriptQuery.of("7")).matches()).isEmpty();
            // And the index goes on from there.
            sessions.transcripts().popLast(SessionId.parse(B));
            assertThat(sessions.transcripts().append(SessionId.parse(A), "{\"content\": \"login bug fixed\"}").seq()).isEqualTo(3);
            assertThat(sessions.transcripts().search(TranscriptQuery.of("login bug")).matches().stream()
                    .map(SearchUpgradeTest::where).toList()).containsExactly(A + "/3", A + "/1", B + "/1");
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .anyMatch(name -> name.startsWith("sessions.db" + SchemaGuard.BACKUP_INFIX) && name.endsWith(SchemaGuard.BACKUP_SUFFIX));
        }
    }

    private static String where(TranscriptMatch m) {
        return m.sessionId() + "/" + m.seq();
    }
}
