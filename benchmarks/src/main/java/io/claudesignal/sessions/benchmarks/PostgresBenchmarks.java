package io.claudesignal.sessions.benchmarks;

import io.claudesignal.sessions.adapters.postgres.PostgresSettings;
import io.claudesignal.sessions.application.port.in.Sessions;
import io.claudesignal.sessions.bootstrap.SessionStore;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionStatus;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
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
 * The PostgreSQL store with 16 callers — {@code pgCreate}, {@code pgTransition}, {@code pgGet} — against
 * plain JDBC with a connection per thread on the same server, in a schema of its own made by the
 * library's own migrations (same tables, same indexes). The baseline's transition writes what the
 * library writes: the status compare-and-set, the history entry and the lease drop, in one
 * transaction. The server is {@code -Dbench.postgres.url}, else {@code $SESSIONS_TEST_POSTGRES_URL},
 * else the local one; without a server these benchmarks fail at setup and the others still run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PostgresBenchmarks {

    static final String LIBRARY_SCHEMA = "bench_library";
    static final String BASELINE_SCHEMA = "bench_jdbc";
    static final int THREADS = 16;
    static final int SEEDED = 2_000;

    String url;
    SessionStore store;
    Sessions sessions;
    SessionId[] libraryIds;
    UUID[] baselineIds;

    static String url() {
        String env = System.getenv("SESSIONS_TEST_POSTGRES_URL");
        return System.getProperty("bench.postgres.url",
                env != null && !env.isBlank() ? env : "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
    }

    @Setup(Level.Trial)
    public void open() throws SQLException {
        url = url();
        dropSchemas();
        // Both schemas are made by the library: the baseline writes into the very same tables.
        SessionStore.openPostgres(url, settings(BASELINE_SCHEMA)).close();
        store = SessionStore.openPostgres(url, settings(LIBRARY_SCHEMA));
        sessions = store.sessions();
        libraryIds = new SessionId[SEEDED];
        for (int i = 0; i < SEEDED; i++) {
            libraryIds[i] = sessions.create(BenchFiles.PROJECT, BenchFiles.THREAD).id();
        }
        baselineIds = new UUID[SEEDED];
        try (Connection c = baselineConnection(url); PreparedStatement insert = c.prepareStatement(Jdbc.INSERT)) {
            for (int i = 0; i < SEEDED; i++) {
                baselineIds[i] = UUID.randomUUID();
                Jdbc.bindInsert(insert, baselineIds[i], "CREATED");
                insert.executeUpdate();
            }
        }
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
        store.close();
        dropSchemas();
    }

    private static PostgresSettings settings(String schema) {
        // One connection per caller, as the baseline has.
        return PostgresSettings.defaults().withSchema(schema).withMaxPoolSize(THREADS);
    }

    private void dropSchemas() throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + LIBRARY_SCHEMA + " CASCADE");
            s.execute("DROP SCHEMA IF EXISTS " + BASELINE_SCHEMA + " CASCADE");
        }
    }

    static Connection baselineConnection(String url) throws SQLException {
        Connection c = DriverManager.getConnection(url);
        try (Statement s = c.createStatement()) {
            s.execute("SET search_path TO " + BASELINE_SCHEMA);
        }
        return c;
    }

    /** Plain JDBC: a connection of its own per thread, its statements prepared once. */
    @State(Scope.Thread)
    public static class Jdbc {
        static final String INSERT = "INSERT INTO sessions (id, project_path, thread_id, status, created_at, updated_at,"
                + " version, context) VALUES (?, ?, ?, ?, ?, ?, 1, '{}')";
        static final String BY_ID = "SELECT id, project_path, thread_id, status, created_at, updated_at, version, context"
                + " FROM sessions WHERE id = ?";
        static final String CAS = "UPDATE sessions SET status = ?, version = version + 1,"
                + " updated_at = greatest(updated_at, ?) WHERE id = ? AND status = ?"
                + " RETURNING id, project_path, thread_id, status, created_at, updated_at, version, context";
        static final String HISTORY = "INSERT INTO transitions (session_id, from_status, to_status, changed_at, reason,"
                + " actor) VALUES (?, ?, ?, ?, 'user', 'cli')";
        static final String DROP_LEASE = "DELETE FROM leases WHERE session_id = ?";

        Connection connection;
        PreparedStatement insert;
        PreparedStatement byId;
        PreparedStatement cas;
        PreparedStatement history;
        PreparedStatement dropLease;

        @Setup(Level.Trial)
        public void open(PostgresBenchmarks b) throws SQLException {
            connection = baselineConnection(b.url);
            insert = connection.prepareStatement(INSERT);
            byId = connection.prepareStatement(BY_ID);
            cas = connection.prepareStatement(CAS);
            history = connection.prepareStatement(HISTORY);
            dropLease = connection.prepareStatement(DROP_LEASE);
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            connection.close();
        }

        static void bindInsert(PreparedStatement insert, UUID id, String status) throws SQLException {
            OffsetDateTime now = now();
            insert.setObject(1, id);
            insert.setString(2, BenchFiles.PROJECT);
            insert.setString(3, BenchFiles.THREAD);
            insert.setString(4, status);
            insert.setObject(5, now);
            insert.setObject(6, now);
        }

        static OffsetDateTime now() {
            return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        }

        /** The row, read whole, as the library reads it. */
        static Object[] read(ResultSet rs) throws SQLException {
            return new Object[] {rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getObject(5, OffsetDateTime.class), rs.getObject(6, OffsetDateTime.class), rs.getLong(7),
                rs.getString(8)};
        }
    }

    /** Each caller's own session in each schema, flipped between ACTIVE and PAUSED. */
    @State(Scope.Thread)
    public static class Mine {
        SessionId library;
        UUID baseline;
        boolean active;

        @Setup(Level.Trial)
        public void create(PostgresBenchmarks b, Jdbc j) throws SQLException {
            library = b.sessions.activate(b.sessions.create(BenchFiles.PROJECT, BenchFiles.THREAD).id()).id();
            baseline = UUID.randomUUID();
            Jdbc.bindInsert(j.insert, baseline, "ACTIVE");
            j.insert.executeUpdate();
            active = true;
        }

        SessionStatus from() {
            return active ? SessionStatus.ACTIVE : SessionStatus.PAUSED;
        }

        SessionStatus flip() {
            active = !active;
            return active ? SessionStatus.ACTIVE : SessionStatus.PAUSED;
        }
    }

    @Benchmark
    @Threads(THREADS)
    public Session pgCreate_library_16() {
        return sessions.create(BenchFiles.PROJECT, BenchFiles.THREAD);
    }

    @Benchmark
    @Threads(THREADS)
    public int pgCreate_jdbc_16(Jdbc j) throws SQLException {
        Jdbc.bindInsert(j.insert, UUID.randomUUID(), "CREATED");
        return j.insert.executeUpdate();
    }

    @Benchmark
    @Threads(THREADS)
    public Session pgTransition_library_16(Mine m) {
        SessionStatus from = m.from();
        return sessions.transition(m.library, from, m.flip());
    }

    @Benchmark
    @Threads(THREADS)
    public Object[] pgTransition_jdbc_16(Mine m, Jdbc j) throws SQLException {
        String from = m.from().name();
        String to = m.flip().name();
        OffsetDateTime now = Jdbc.now();
        j.connection.setAutoCommit(false);
        try {
            Object[] row;
            j.cas.setString(1, to);
            j.cas.setObject(2, now);
            j.cas.setObject(3, m.baseline);
            j.cas.setString(4, from);
            try (ResultSet rs = j.cas.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("the baseline's own session was not " + from);
                }
                row = Jdbc.read(rs);
            }
            j.history.setObject(1, m.baseline);
            j.history.setString(2, from);
            j.history.setString(3, to);
            j.history.setObject(4, now);
            j.history.executeUpdate();
            if (!to.equals("ACTIVE")) {
                j.dropLease.setObject(1, m.baseline);
                j.dropLease.executeUpdate();
            }
            j.connection.commit();
            return row;
        } catch (SQLException | RuntimeException e) {
            j.connection.rollback();
            throw e;
        } finally {
            j.connection.setAutoCommit(true);
        }
    }

    @Benchmark
    @Threads(THREADS)
    public Optional<Session> pgGet_library_16() {
        return sessions.find(libraryIds[ThreadLocalRandom.current().nextInt(libraryIds.length)]);
    }

    @Benchmark
    @Threads(THREADS)
    public Object[] pgGet_jdbc_16(Jdbc j) throws SQLException {
        j.byId.setObject(1, baselineIds[ThreadLocalRandom.current().nextInt(baselineIds.length)]);
        try (ResultSet rs = j.byId.executeQuery()) {
            return rs.next() ? Jdbc.read(rs) : null;
        }
    }
}
