package io.claudesignal.sessions.benchmarks;

import io.claudesignal.sessions.application.port.in.Approvals;
import io.claudesignal.sessions.benchmarks.JdbcWriters.GroupCommit;
import io.claudesignal.sessions.bootstrap.SessionStore;
import io.claudesignal.sessions.domain.Approval;
import io.claudesignal.sessions.domain.SessionId;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Issue 24's {@code request} with 16 callers, each on its own ACTIVE session, every request a new key:
 * the library ({@link Approvals#request} through {@link SessionStore#openSqlite}) against a hand-written
 * JDBC group commit of the same statements (the session's status, the key's lookup, the next number,
 * the approval's row, its change-log row), each on its own new file made by the library.
 *
 * <p>Method names are {@code <workload>_<side>_<threads>}; {@code BenchReport} pairs them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ApprovalBenchmarks {

    /** What a daemon asks: a tool call of about 150 bytes. */
    static final String REQUEST = "{\"tool\":\"Bash\",\"input\":{\"command\":\"npm test -- --runInBand\","
            + "\"description\":\"Run the test suite to check the login fix\"}}";
    static final int CALLERS = 16;

    Path libraryFile;
    Path groupFile;
    SessionStore store;
    Approvals approvals;
    List<String> libraryIds;
    List<String> groupIds;
    GroupCommit group;
    Request byHand; // made and used on the group-commit thread only
    final AtomicInteger next = new AtomicInteger();

    @Setup(Level.Trial)
    public void open() throws SQLException {
        libraryFile = BenchFiles.fresh("approvals-library");
        groupFile = BenchFiles.fresh("approvals-group");
        libraryIds = activeSessions(libraryFile);
        groupIds = activeSessions(groupFile);
        store = SessionStore.openSqlite(libraryFile);
        approvals = store.approvals();
        group = new GroupCommit(groupFile);
    }

    private static List<String> activeSessions(Path file) {
        List<String> ids = new ArrayList<>();
        try (SessionStore s = SessionStore.openSqlite(file)) {
            for (int i = 0; i < CALLERS; i++) {
                ids.add(s.sessions().activate(s.sessions().create(BenchFiles.PROJECT, BenchFiles.THREAD).id()).id()
                        .toString());
            }
        }
        return ids;
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
        store.close();
        group.close(); // its thread has stopped: the statements can be closed here
        if (byHand != null) {
            byHand.close();
        }
        BenchFiles.delete(libraryFile);
        BenchFiles.delete(groupFile);
    }

    /** Each caller's own session, and its own run of keys. */
    @State(Scope.Thread)
    public static class Mine {
        SessionId library;
        String group;
        String keyPrefix;
        long keys;

        @Setup(Level.Trial)
        public void pick(ApprovalBenchmarks b) {
            int i = b.next.getAndIncrement() % CALLERS;
            library = SessionId.parse(b.libraryIds.get(i));
            group = b.groupIds.get(i);
            keyPrefix = "toolu_" + i + "_";
        }

        String key() {
            return keyPrefix + (++keys);
        }
    }

    @Benchmark
    @Threads(CALLERS)
    public Approval request_library_16(Mine m) {
        return approvals.request(m.library, REQUEST, m.key());
    }

    @Benchmark
    @Threads(CALLERS)
    public long request_groupCommit_16(Mine m) throws SQLException {
        String key = m.key();
        return group.run(s -> {
            if (byHand == null) {
                byHand = new Request(s.connection);
            }
            return byHand.run(m.group, key);
        });
    }

    /** The library's request, written by hand: status, key, next number, the row, the change. Prepared once. */
    static final class Request implements AutoCloseable {
        private final PreparedStatement status;
        private final PreparedStatement known;
        private final PreparedStatement nextSeq;
        private final PreparedStatement insert;
        private final PreparedStatement change;
        private final long origin = UUID.randomUUID().getMostSignificantBits();

        Request(Connection c) throws SQLException {
            status = c.prepareStatement("SELECT status FROM sessions WHERE id = ?");
            known = c.prepareStatement("SELECT id FROM approvals WHERE session_id = ? AND request_key = ?");
            nextSeq = c.prepareStatement("SELECT coalesce(max(seq), 0) + 1 FROM approvals WHERE session_id = ?");
            insert = c.prepareStatement("INSERT INTO approvals (id, session_id, seq, request_key, state, requested_by,"
                    + " requested_at, expires_at, request) VALUES (?, ?, ?, ?, 'PENDING', 'cli', ?, ?, ?)");
            change = c.prepareStatement("INSERT INTO changes (session_id, kind, actor, changed_at, origin, write_id, ref)"
                    + " VALUES (?, 'APPROVAL_REQUESTED', 'cli', ?, ?, 0, ?)");
        }

        /** Requests {@link #REQUEST} on session {@code id} with {@code key}, inside the caller's transaction. */
        long run(String id, String key) throws SQLException {
            status.setString(1, id);
            try (ResultSet rs = status.executeQuery()) {
                if (!rs.next() || !"ACTIVE".equals(rs.getString(1))) {
                    throw new IllegalStateException("session " + id + " is not ACTIVE");
                }
            }
            known.setString(1, id);
            known.setString(2, key);
            try (ResultSet rs = known.executeQuery()) {
                if (rs.next()) {
                    return 0;
                }
            }
            long seq;
            nextSeq.setString(1, id);
            try (ResultSet rs = nextSeq.executeQuery()) {
                rs.next();
                seq = rs.getLong(1);
            }
            Instant now = Instant.now();
            insert.setString(1, UUID.randomUUID().toString());
            insert.setString(2, id);
            insert.setLong(3, seq);
            insert.setString(4, key);
            insert.setString(5, BenchFiles.ts(now));
            insert.setString(6, BenchFiles.ts(now.plus(Duration.ofMinutes(10))));
            insert.setString(7, REQUEST);
            insert.executeUpdate();
            change.setString(1, id);
            change.setString(2, BenchFiles.ts(now));
            change.setLong(3, origin);
            change.setLong(4, seq);
            change.executeUpdate();
            return seq;
        }

        @Override
        public void close() throws SQLException {
            for (Statement s : List.of(status, known, nextSeq, insert, change)) {
                s.close();
            }
        }
    }
}
