package io.claudesignal.sessions.adapters.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudesignal.sessions.application.port.in.TranscriptQuery;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.port.out.SessionIdGenerator;
import io.claudesignal.sessions.application.service.SessionService;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.tck.TestClock;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Search on PostgreSQL beyond the TCK: the transcripts of a schema of version 6 (before search) are
 * indexed by the migration, in its transaction, positions following the items' times, so that they
 * are found newest first; and an item of the largest size is appended whatever its words.
 */
@ExtendWith(PostgresServer.class)
class PostgresSearchTest {

    private static final String A = "4c59adf8-6832-4cfa-92f4-4ee146654006";
    private static final String B = "5d6abe09-7943-4dfb-a305-5ff257765117";

    private final String schema = PostgresServer.freshSchema();

    @AfterEach
    void dropSchema() throws Exception {
        PostgresServer.dropSchema(schema);
    }

    @Test
    void theTranscriptsOfAnOlderSchemaAreIndexedOnUpgrade() throws Exception {
        Flyway.configure().dataSource(PostgresServer.url(), null, null).schemas(schema).defaultSchema(schema)
                .createSchemas(true).table(PostgresSchema.HISTORY_TABLE).locations("classpath:db/migration/postgres")
                .target("6").load().migrate();
        for (String id : List.of(A, B)) {
            PostgresServer.execute("INSERT INTO " + schema + ".sessions (id, project_path, thread_id, status, created_at, "
                    + "updated_at, version, context) VALUES ('" + id + "', '/p', 't', 'ACTIVE', now(), now(), 1, '{}')");
            PostgresServer.execute("INSERT INTO " + schema + ".transcripts (session_id, last_seq) VALUES ('" + id + "', 2)");
        }
        PostgresServer.execute("INSERT INTO " + schema + ".transcript_items (session_id, seq, item_key, appended_at, item) VALUES "
                + "('" + B + "', 1, NULL, '2026-01-26T02:00:00Z', '{\"content\": \"the login bug\", \"n\": 7}'), "
                + "('" + A + "', 1, NULL, '2026-01-26T03:00:00Z', '{\"content\": \"login bug again\"}'), "
                + "('" + A + "', 2, NULL, '2026-01-26T04:00:00Z', '{\"content\": \"nothing \\u0000 here\"}'), "
                + "('" + B + "', 2, NULL, '2026-01-26T05:00:00Z', '{\"content\": [\"Login\", {\"t\": \"BUG\"}]}')");
        try (PostgresStorage storage = PostgresStorage.open(PostgresServer.url(),
                PostgresSettings.defaults().withSchema(schema).withMaxPoolSize(2))) {
            SessionService sessions = new SessionService(storage.persistence(), new TestClock(),
                    SessionIdGenerator.random(), new ContextJson());
            assertThat(sessions.transcripts().search(TranscriptQuery.of("login bug")).matches())
                    .extracting(m -> m.sessionId() + "/" + m.seq()).containsExactly(B + "/2", A + "/1", B + "/1");
            assertThat(sessions.transcripts().search(TranscriptQuery.of("nothing here")).matches()).hasSize(1);
            assertThat(sessions.transcripts().search(TranscriptQuery.of("7")).matches()).isEmpty();
            assertThat(sessions.transcripts().append(SessionId.parse(A), "{\"content\": \"login bug fixed\"}").seq()).isEqualTo(3);
            assertThat(sessions.transcripts().search(TranscriptQuery.of("login bug")).matches())
                    .extracting(m -> m.sessionId() + "/" + m.seq()).first().isEqualTo(A + "/3");
        }
    }

    /** A tsvector holds at most 1 MB: an item of 1 MiB of distinct words is still appended, its start found. */
    @Test
    void anItemOfTheLargestSizeOfDistinctWordsIsAppendedAndItsStartFound() {
        try (PostgresStorage storage = PostgresStorage.open(PostgresServer.url(),
                PostgresSettings.defaults().withSchema(schema).withMaxPoolSize(2))) {
            SessionService sessions = new SessionService(storage.persistence(), new TestClock(),
                    SessionIdGenerator.random(), new ContextJson());
            SessionId id = sessions.create("/p", "t").id();
            StringBuilder text = new StringBuilder("{\"content\": \"");
            for (int n = 0; text.length() < 1024 * 1024 - 64; n++) {
                text.append("w").append(Integer.toString(n, 36)).append(' ');
            }
            String item = text.append("\"}").toString();
            assertThat(sessions.transcripts().append(id, item).seq()).isEqualTo(1);
            assertThat(sessions.transcripts().search(TranscriptQuery.of("w0 w1z")).matches()).hasSize(1);
        }
    }
}
