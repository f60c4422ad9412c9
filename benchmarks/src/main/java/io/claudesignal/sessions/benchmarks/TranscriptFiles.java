package io.claudesignal.sessions.benchmarks;

import io.claudesignal.sessions.bootstrap.SessionStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * The transcript fixtures of the benchmarks: sessions whose transcripts hold many items, written in
 * bulk with plain JDBC in one transaction (100,000 items take a second or two, where appending them one
 * by one through the API would take minutes), and the plain-JDBC statements of the baselines: the same
 * rows and the same statements as the library's append.
 */
final class TranscriptFiles {

    /** A turn of about 200 bytes, as a short chat message with its role. */
    static final String ITEM = "{\"role\":\"user\",\"content\":\"" + "please run the tests and tell me which ones fail. ".repeat(3)
            + "\"}";

    static final String EXISTS = "SELECT 1 FROM sessions WHERE id = ?";
    static final String BUMP = "UPDATE transcripts SET last_seq = last_seq + 1 WHERE session_id = ? RETURNING last_seq";
    static final String START = "INSERT INTO transcripts (session_id, last_seq) VALUES (?, 1)";
    static final String INSERT = "INSERT INTO transcript_items (session_id, seq, item_key, appended_at, item)"
            + " VALUES (?, ?, NULL, ?, ?)";
    static final String TAIL = "SELECT session_id, seq, item_key, appended_at, item FROM transcript_items"
            + " WHERE session_id = ? ORDER BY seq DESC LIMIT ?";

    private TranscriptFiles() {
    }

    /** Creates {@code sessions} sessions through the library and returns their ids. */
    static List<String> sessions(Path file, int sessions) {
        List<String> ids = new ArrayList<>();
        try (SessionStore store = SessionStore.openSqlite(file)) {
            for (int i = 0; i < sessions; i++) {
                ids.add(store.sessions().create(BenchFiles.PROJECT, BenchFiles.THREAD).id().toString());
            }
        }
        return ids;
    }

    /** Gives session {@code id} a transcript of {@code items} items numbered 1..items, in one transaction. */
    static void fill(Path file, String id, int items) {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        try (Connection c = BenchFiles.writer(file)) {
            c.setAutoCommit(false);
            try (PreparedStatement counter = c.prepareStatement("INSERT INTO transcripts (session_id, last_seq) VALUES (?, ?)");
                 PreparedStatement insert = c.prepareStatement(INSERT)) {
                counter.setString(1, id);
                counter.setLong(2, items);
                counter.executeUpdate();
                for (int i = 1; i <= items; i++) {
                    insert.setString(1, id);
                    insert.setLong(2, i);
                    insert.setString(3, BenchFiles.ts(start.plus(i, ChronoUnit.MICROS)));
                    insert.setString(4, ITEM);
                    insert.addBatch();
                    if (i % 1000 == 0) {
                        insert.executeBatch();
                    }
                }
                insert.executeBatch();
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The newest {@code TAIL} rows of session {@code id}, oldest first, read as the library reads them. */
    static List<Object[]> tail(PreparedStatement tail, String id) throws SQLException {
        List<Object[]> rows = new ArrayList<>(TranscriptBenchmarks.TAIL);
        tail.setString(1, id);
        tail.setInt(2, TranscriptBenchmarks.TAIL);
        try (ResultSet rs = tail.executeQuery()) {
            while (rs.next()) {
                rows.add(new Object[] {UUID.fromString(rs.getString(1)), rs.getLong(2), rs.getString(3),
                        Instant.parse(rs.getString(4)), rs.getString(5)});
            }
        }
        Collections.reverse(rows);
        return rows;
    }

    /** The library's append, written by hand: existence check, counter bump, the row. Prepared once. */
    static final class Append implements AutoCloseable {
        private final PreparedStatement exists;
        private final PreparedStatement bump;
        private final PreparedStatement start;
        private final PreparedStatement insert;

        Append(Connection c) throws SQLException {
            exists = c.prepareStatement(EXISTS);
            bump = c.prepareStatement(BUMP);
            start = c.prepareStatement(START);
            insert = c.prepareStatement(INSERT);
        }

        /** Appends {@link #ITEM} to session {@code id}, inside the caller's transaction. */
        long run(String id) throws SQLException {
            exists.setString(1, id);
            try (ResultSet rs = exists.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no session " + id);
                }
            }
            long seq;
            bump.setString(1, id);
            try (ResultSet rs = bump.executeQuery()) {
                seq = rs.next() ? rs.getLong(1) : 0;
            }
            if (seq == 0) {
                start.setString(1, id);
                start.executeUpdate();
                seq = 1;
            }
            insert.setString(1, id);
            insert.setLong(2, seq);
            insert.setString(3, BenchFiles.now());
            insert.setString(4, ITEM);
            insert.executeUpdate();
            return seq;
        }

        @Override
        public void close() throws SQLException {
            for (Statement s : List.of(exists, bump, start, insert)) {
                s.close();
            }
        }
    }
}
