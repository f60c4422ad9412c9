package io.claudesignal.sessions.benchmarks;

import io.claudesignal.sessions.application.port.in.SessionPage;
import io.claudesignal.sessions.application.port.in.SessionQuery;
import io.claudesignal.sessions.application.port.in.Sessions;
import io.claudesignal.sessions.benchmarks.BenchFiles.Row;
import io.claudesignal.sessions.benchmarks.BenchFiles.Summary;
import io.claudesignal.sessions.bootstrap.SessionStore;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
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

/** Reads: {@code get} with 16 callers, and the first page of a list, against plain JDBC on the same file. */
public class ReadBenchmarks {

    static final String BY_ID = "SELECT " + BenchFiles.COLUMNS + " FROM sessions WHERE id = ?";
    static final String FIRST_PAGE = "SELECT id, project_path, thread_id, status, created_at, updated_at, version"
            + " FROM sessions ORDER BY created_at DESC, id DESC LIMIT ?";

    /** 10,000 sessions; the library and the baseline read the same file. */
    @State(Scope.Benchmark)
    public static class GetFile {
        Path file;
        SessionStore store;
        Sessions sessions;
        SessionId[] ids;
        String[] idTexts;

        @Setup(Level.Trial)
        public void open() {
            file = BenchFiles.shared("get", 10_000);
            List<String> sample = BenchFiles.ids(file, 2_000);
            idTexts = sample.toArray(String[]::new);
            ids = sample.stream().map(SessionId::parse).toArray(SessionId[]::new);
            store = SessionStore.openSqlite(file);
            sessions = store.sessions();
        }

        @TearDown(Level.Trial)
        public void close() {
            store.close();
        }
    }

    /** The baseline's reader: a connection of its own per thread, its statement prepared once. */
    @State(Scope.Thread)
    public static class OwnConnection {
        Connection connection;
        PreparedStatement byId;

        @Setup(Level.Trial)
        public void open(GetFile f) throws SQLException {
            connection = BenchFiles.reader(f.file);
            byId = connection.prepareStatement(BY_ID);
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            byId.close();
            connection.close();
        }
    }

    @Benchmark
    @Threads(16)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public Optional<Session> get_library_16(GetFile f) {
        return f.sessions.find(f.ids[ThreadLocalRandom.current().nextInt(f.ids.length)]);
    }

    @Benchmark
    @Threads(16)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public Row get_jdbc_16(GetFile f, OwnConnection c) throws SQLException {
        c.byId.setString(1, f.idTexts[ThreadLocalRandom.current().nextInt(f.idTexts.length)]);
        try (ResultSet rs = c.byId.executeQuery()) {
            return rs.next() ? Row.read(rs) : null;
        }
    }

    /** A file of {@code sessions} sessions, built once (one transaction) and reused. */
    @State(Scope.Benchmark)
    public static class ListFile {
        @Param({"1000", "100000"})
        int sessions;

        Path file;
        SessionStore store;
        Sessions api;
        Connection connection;
        PreparedStatement firstPage;

        @Setup(Level.Trial)
        public void open() throws SQLException {
            file = BenchFiles.shared("list", sessions);
            store = SessionStore.openSqlite(file);
            api = store.sessions();
            connection = BenchFiles.reader(file);
            firstPage = connection.prepareStatement(FIRST_PAGE);
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            firstPage.close();
            connection.close();
            store.close();
        }
    }

    @Benchmark
    @Threads(1)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public SessionPage listPage50_library_1(ListFile f) {
        return f.api.list(SessionQuery.all().withLimit(50));
    }

    @Benchmark
    @Threads(1)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public List<Summary> listPage50_jdbc_1(ListFile f) throws SQLException {
        // 51 rows: the library reads one more to know whether another page follows.
        f.firstPage.setInt(1, 51);
        List<Summary> page = new ArrayList<>(51);
        try (ResultSet rs = f.firstPage.executeQuery()) {
            while (rs.next()) {
                page.add(Summary.read(rs));
            }
        }
        return page;
    }
}
