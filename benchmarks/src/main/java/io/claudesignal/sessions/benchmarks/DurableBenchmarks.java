package io.claudesignal.sessions.benchmarks;

import io.claudesignal.sessions.application.port.in.Sessions;
import io.claudesignal.sessions.bootstrap.SessionStore;
import io.claudesignal.sessions.domain.Activity;
import io.claudesignal.sessions.domain.SessionId;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * The durable-execution workloads (issue #5): appending to a session's activity log when its context
 * is empty and when it is 10 MB, and crash recovery of 10,000 ACTIVE sessions, each against plain JDBC
 * doing the same rows' work on a file of the same kind.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DurableBenchmarks {

    static final String DETAILS = "{\"tool\":\"bash\",\"command\":\"mvn verify\",\"exit\":0}";
    static final int KEEP = 100; // the library's default activity limit

    /** One session whose context is {@code contextBytes} long, in a library file and in a JDBC file. */
    @State(Scope.Benchmark)
    public static class ActivityFiles {
        @Param({"0", "10485760"})
        int contextBytes;

        Path libraryFile;
        Path jdbcFile;
        SessionStore store;
        Sessions sessions;
        SessionId id;
        String jdbcId;
        Connection jdbc;
        Statement control;
        PreparedStatement exists;
        PreparedStatement bump;
        PreparedStatement start;
        PreparedStatement insert;
        PreparedStatement trim;

        @Setup(Level.Trial)
        public void open() throws SQLException {
            String context = context(contextBytes);
            libraryFile = BenchFiles.fresh("activity-library");
            store = SessionStore.openSqlite(libraryFile);
            sessions = store.sessions();
            id = sessions.create(BenchFiles.PROJECT, BenchFiles.THREAD).id();
            setContext(libraryFile, id.toString(), context);

            jdbcFile = BenchFiles.fresh("activity-jdbc");
            jdbcId = BenchFiles.populate(jdbcFile, 1, "ACTIVE", "{}", 1).get(0);
            setContext(jdbcFile, jdbcId, context);
            jdbc = BenchFiles.writer(jdbcFile);
            control = jdbc.createStatement();
            exists = jdbc.prepareStatement("SELECT 1 FROM sessions WHERE id = ?");
            bump = jdbc.prepareStatement("UPDATE activity_logs SET last_seq = last_seq + 1 WHERE session_id = ? RETURNING last_seq");
            start = jdbc.prepareStatement("INSERT INTO activity_logs (session_id, last_seq, acknowledged_seq) VALUES (?, 1, 0)");
            insert = jdbc.prepareStatement("INSERT INTO activities (session_id, seq, type, occurred_at, details) VALUES (?, ?, ?, ?, ?)");
            trim = jdbc.prepareStatement("DELETE FROM activities WHERE session_id = ? AND seq <= ?");
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            store.close();
            for (Statement s : List.of(control, exists, bump, start, insert, trim)) {
                s.close();
            }
            jdbc.close();
            BenchFiles.delete(libraryFile);
            BenchFiles.delete(jdbcFile);
        }

        /** The same statements as the library's append, in one IMMEDIATE transaction. */
        long appendJdbc() throws SQLException {
            control.execute("BEGIN IMMEDIATE");
            try {
                exists.setString(1, jdbcId);
                try (ResultSet rs = exists.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("no session");
                    }
                }
                long seq;
                bump.setString(1, jdbcId);
                try (ResultSet rs = bump.executeQuery()) {
                    seq = rs.next() ? rs.getLong(1) : 0;
                }
                if (seq == 0) {
                    start.setString(1, jdbcId);
                    start.executeUpdate();
                    seq = 1;
                }
                insert.setString(1, jdbcId);
                insert.setLong(2, seq);
                insert.setString(3, "command");
                insert.setString(4, BenchFiles.now());
                insert.setString(5, DETAILS);
                insert.executeUpdate();
                if (seq > KEEP) {
                    trim.setString(1, jdbcId);
                    trim.setLong(2, seq - KEEP);
                    trim.executeUpdate();
                }
                control.execute("COMMIT");
                return seq;
            } catch (SQLException | RuntimeException e) {
                control.execute("ROLLBACK");
                throw e;
            }
        }
    }

    static String context(int bytes) {
        if (bytes == 0) {
            return "{}";
        }
        String prefix = "{\"history\":\"";
        return prefix + "x".repeat(bytes - prefix.length() - 2) + "\"}";
    }

    static void setContext(Path file, String id, String context) throws SQLException {
        try (Connection c = BenchFiles.writer(file);
             PreparedStatement update = c.prepareStatement("UPDATE sessions SET context = ? WHERE id = ?")) {
            update.setString(1, context);
            update.setString(2, id);
            if (update.executeUpdate() != 1) {
                throw new IllegalStateException("no session " + id);
            }
        }
    }

    @Benchmark
    @Threads(1)
    public Activity appendActivity_library_1(ActivityFiles f) {
        return f.sessions.appendActivity(f.id, "command", DETAILS);
    }

    @Benchmark
    @Threads(1)
    public long appendActivity_jdbc_1(ActivityFiles f) throws SQLException {
        return f.appendJdbc();
    }

    // ---- recover ---------------------------------------------------------------------------

    static final int RECOVER_SESSIONS = 10_000;

    /** 10,000 sessions, ACTIVE again before every call, abandoned long ago (no lease). */
    public abstract static class RecoverFile {
        Path file;
        Connection reset;

        void build(String name) throws SQLException {
            file = BenchFiles.fresh(name);
            BenchFiles.populate(file, RECOVER_SESSIONS, "ACTIVE", "{}", Integer.MAX_VALUE);
            reset = BenchFiles.writer(file);
        }

        /** Not measured: puts every session back to ACTIVE, as a crash would have left them. */
        void makeAllActiveAgain() throws SQLException {
            try (Statement s = reset.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
                s.executeUpdate("UPDATE sessions SET status = 'ACTIVE', context = '{}', updated_at = created_at");
                s.executeUpdate("DELETE FROM transitions");
                s.execute("COMMIT");
            }
        }
    }

    @State(Scope.Benchmark)
    public static class LibraryRecover extends RecoverFile {
        SessionStore store;
        Sessions sessions;

        @Setup(Level.Trial)
        public void open() throws SQLException {
            build("recover-library");
            store = SessionStore.openSqlite(file);
            sessions = store.sessions();
        }

        @Setup(Level.Invocation)
        public void again() throws SQLException {
            makeAllActiveAgain();
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            store.close();
            reset.close();
            BenchFiles.delete(file);
        }
    }

    @State(Scope.Benchmark)
    public static class JdbcRecover extends RecoverFile {
        Connection connection;
        PreparedStatement update;

        @Setup(Level.Trial)
        public void open() throws SQLException {
            build("recover-jdbc");
            connection = BenchFiles.writer(file);
            update = connection.prepareStatement(
                    "UPDATE sessions SET status = 'PAUSED', version = version + 1, updated_at = ? WHERE status = 'ACTIVE'");
        }

        @Setup(Level.Invocation)
        public void again() throws SQLException {
            makeAllActiveAgain();
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            update.close();
            connection.close();
            reset.close();
            BenchFiles.delete(file);
        }
    }

    @Benchmark
    @Threads(1)
    public List<SessionId> recover_library_1(LibraryRecover r) {
        List<SessionId> recovered = r.sessions.recover();
        if (recovered.size() != RECOVER_SESSIONS) {
            throw new IllegalStateException("recovered " + recovered.size());
        }
        return recovered;
    }

    @Benchmark
    @Threads(1)
    public int recover_bareUpdate_1(JdbcRecover r) throws SQLException {
        r.update.setString(1, BenchFiles.now());
        int rows = r.update.executeUpdate();
        if (rows != RECOVER_SESSIONS) {
            throw new IllegalStateException("updated " + rows);
        }
        return rows;
    }
}
