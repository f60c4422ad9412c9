package io.claudesignal.sessions.benchmarks;

import io.claudesignal.sessions.application.port.in.Transcripts;
import io.claudesignal.sessions.bootstrap.SessionStore;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.TranscriptItem;
import io.claudesignal.sessions.adapters.postgres.PostgresSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * The transcript on PostgreSQL, with one caller and with 16: {@code pgAppend} (one item) and {@code pgTail}
 * (the newest 50) against plain JDBC on the same server, in a schema of its own made by the library's
 * migrations. Each caller works on sessions of its own (one per side, each transcript starting with 1,000
 * items), so callers meet only where the store makes them meet; the baseline gives each caller its own
 * connection with its statements prepared, the library one pooled connection per caller. The baseline's
 * append does what the library's does in one transaction: lock the session's row, bump the counter,
 * insert the row; its tail is one SELECT in autocommit.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PostgresTranscriptBenchmarks {

    static final String LIBRARY_SCHEMA = "bench_transcript_library";
    static final String BASELINE_SCHEMA = "bench_transcript_jdbc";
    static final int SEEDED = 1_000;
    static final int CALLERS = 16;

    static final String LOCK = "SELECT status FROM sessions WHERE id = ? FOR UPDATE";
    static final String BUMP = "UPDATE transcripts SET last_seq = last_seq + 1 WHERE session_id = ? RETURNING last_seq";
    static final String START = "INSERT INTO transcripts (session_id, last_seq) VALUES (?, 1)";
    static final String INSERT = "INSERT INTO transcript_items (session_id, seq, item_key, appended_at, item)"
            + " VALUES (?, ?, NULL, ?, ?)";

    static final List<String> SEED = Collections.nCopies(SEEDED, TranscriptFiles.ITEM);

    String url;
    SessionStore store;
    Transcripts transcripts;
    // Open for the trial only to make and seed each caller's baseline session; the baseline itself is plain JDBC.
    SessionStore baselineStore;

    @Setup(Level.Trial)
    public void open() throws SQLException {
        url = PostgresBenchmarks.url();
        dropSchemas();
        // Both schemas are made and seeded by the library: the baseline works on the very same tables.
        baselineStore = SessionStore.openPostgres(url, settings(BASELINE_SCHEMA));
        store = SessionStore.openPostgres(url, settings(LIBRARY_SCHEMA));
        transcripts = store.transcripts();
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
        store.close();
        baselineStore.close();
        dropSchemas();
    }

    private static PostgresSettings settings(String schema) {
        // One connection per caller, as the baseline has.
        return PostgresSettings.defaults().withSchema(schema).withMaxPoolSize(CALLERS);
    }

    private void dropSchemas() throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + LIBRARY_SCHEMA + " CASCADE");
            s.execute("DROP SCHEMA IF EXISTS " + BASELINE_SCHEMA + " CASCADE");
        }
    }

    /** One caller: its session on each side, and its own baseline connection with prepared statements. */
    @State(Scope.Thread)
    public static class Caller {
        SessionId libraryId;
        UUID baselineId;
        Connection jdbc;
        PreparedStatement lock;
        PreparedStatement bump;
        PreparedStatement start;
        PreparedStatement insert;
        PreparedStatement tail;

        @Setup(Level.Trial)
        public void open(PostgresTranscriptBenchmarks b) throws SQLException {
            libraryId = b.store.sessions().create(BenchFiles.PROJECT, BenchFiles.THREAD).id();
            b.transcripts.appendAll(libraryId, SEED);
            SessionId baseline = b.baselineStore.sessions().create(BenchFiles.PROJECT, BenchFiles.THREAD).id();
            b.baselineStore.transcripts().appendAll(baseline, SEED);
            baselineId = baseline.value();

            jdbc = DriverManager.getConnection(b.url);
            try (Statement s = jdbc.createStatement()) {
                s.execute("SET search_path TO " + BASELINE_SCHEMA);
            }
            lock = jdbc.prepareStatement(LOCK);
            bump = jdbc.prepareStatement(BUMP);
            start = jdbc.prepareStatement(START);
            insert = jdbc.prepareStatement(INSERT);
            tail = jdbc.prepareStatement(TranscriptFiles.TAIL);
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            for (Statement s : List.of(lock, bump, start, insert, tail)) {
                s.close();
            }
            jdbc.close();
        }

        long append() throws SQLException {
            jdbc.setAutoCommit(false);
            try {
                lock.setObject(1, baselineId);
                try (ResultSet rs = lock.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("no session " + baselineId);
                    }
                }
                long seq;
                bump.setObject(1, baselineId);
                try (ResultSet rs = bump.executeQuery()) {
                    seq = rs.next() ? rs.getLong(1) : 0;
                }
                if (seq == 0) {
                    start.setObject(1, baselineId);
                    start.executeUpdate();
                    seq = 1;
                }
                insert.setObject(1, baselineId);
                insert.setLong(2, seq);
                insert.setObject(3, OffsetDateTime.now(ZoneOffset.UTC));
                insert.setString(4, TranscriptFiles.ITEM);
                insert.executeUpdate();
                jdbc.commit();
                return seq;
            } catch (SQLException | RuntimeException e) {
                jdbc.rollback();
                throw e;
            } finally {
                jdbc.setAutoCommit(true); // no round trip: the transaction is over
            }
        }

        /**
         * The newest 50 as rows (the library's items are records of the same columns), oldest first: one
         * SELECT in autocommit, as plain JDBC reads (a COMMIT after it would cost the baseline a round trip).
         */
        List<Object[]> tail() throws SQLException {
            List<Object[]> rows = new ArrayList<>(TranscriptBenchmarks.TAIL);
            tail.setObject(1, baselineId);
            tail.setInt(2, TranscriptBenchmarks.TAIL);
            try (ResultSet rs = tail.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Object[] {rs.getObject(1, UUID.class), rs.getLong(2), rs.getString(3),
                            rs.getObject(4, OffsetDateTime.class), rs.getString(5)});
                }
            }
            Collections.reverse(rows);
            return rows;
        }
    }

    @Benchmark
    @Threads(1)
    public TranscriptItem pgAppend_library_1(Caller c) {
        return transcripts.append(c.libraryId, TranscriptFiles.ITEM);
    }

    @Benchmark
    @Threads(1)
    public long pgAppend_jdbc_1(Caller c) throws SQLException {
        return c.append();
    }

    @Benchmark
    @Threads(CALLERS)
    public TranscriptItem pgAppend_library_16(Caller c) {
        return transcripts.append(c.libraryId, TranscriptFiles.ITEM);
    }

    @Benchmark
    @Threads(CALLERS)
    public long pgAppend_jdbc_16(Caller c) throws SQLException {
        return c.append();
    }

    @Benchmark
    @Threads(1)
    public List<TranscriptItem> pgTail_library_1(Caller c) {
        return transcripts.tail(c.libraryId, TranscriptBenchmarks.TAIL);
    }

    @Benchmark
    @Threads(1)
    public List<Object[]> pgTail_jdbc_1(Caller c) throws SQLException {
        return c.tail();
    }

    @Benchmark
    @Threads(CALLERS)
    public List<TranscriptItem> pgTail_library_16(Caller c) {
        return transcripts.tail(c.libraryId, TranscriptBenchmarks.TAIL);
    }

    @Benchmark
    @Threads(CALLERS)
    public List<Object[]> pgTail_jdbc_16(Caller c) throws SQLException {
        return c.tail();
    }
}
