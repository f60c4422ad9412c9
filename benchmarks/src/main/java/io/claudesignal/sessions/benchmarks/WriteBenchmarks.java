package io.claudesignal.sessions.benchmarks;

import io.claudesignal.sessions.application.port.in.Sessions;
import io.claudesignal.sessions.benchmarks.BenchFiles.Row;
import io.claudesignal.sessions.benchmarks.JdbcWriters.GroupCommit;
import io.claudesignal.sessions.benchmarks.JdbcWriters.LockedWriter;
import io.claudesignal.sessions.bootstrap.SessionStore;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionStatus;
import java.nio.file.Path;
import java.sql.SQLException;
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
 * Durable writes ({@code synchronous=FULL}) with 1 and 16 callers: the library (through the public
 * {@link Sessions} API of {@link SessionStore#openSqlite}) against a locked single JDBC writer and a
 * hand-written JDBC group commit, each on its own new file of the same kind. With one caller the
 * group commit has nobody to group with, so there the locked writer is the baseline.
 *
 * <p>Method names are {@code <workload>_<side>_<threads>}; {@code BenchReport} pairs them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class WriteBenchmarks {

    Path libraryFile;
    Path lockedFile;
    Path groupFile;
    SessionStore store;
    Sessions sessions;
    LockedWriter locked;
    GroupCommit group;

    @Setup(Level.Trial)
    public void open() throws SQLException {
        libraryFile = BenchFiles.fresh("write-library");
        lockedFile = BenchFiles.fresh("write-locked");
        groupFile = BenchFiles.fresh("write-group");
        store = SessionStore.openSqlite(libraryFile);
        sessions = store.sessions();
        locked = new LockedWriter(lockedFile);
        group = new GroupCommit(groupFile);
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
        store.close();
        locked.close();
        group.close();
        BenchFiles.delete(libraryFile);
        BenchFiles.delete(lockedFile);
        BenchFiles.delete(groupFile);
    }

    /** Each caller's own session, flipped between ACTIVE and PAUSED, in each of the three files. */
    @State(Scope.Thread)
    public static class Mine {
        SessionId library;
        String locked;
        String group;
        boolean active;

        @Setup(Level.Trial)
        public void create(WriteBenchmarks b) throws SQLException {
            library = b.sessions.activate(b.sessions.create(BenchFiles.PROJECT, BenchFiles.THREAD).id()).id();
            locked = b.locked.run(s -> {
                String id = s.create();
                s.transition(id, "CREATED", "ACTIVE");
                return id;
            });
            group = b.group.run(s -> {
                String id = s.create();
                s.transition(id, "CREATED", "ACTIVE");
                return id;
            });
            active = true;
        }

        String from() {
            return active ? "ACTIVE" : "PAUSED";
        }

        String to() {
            active = !active;
            return active ? "ACTIVE" : "PAUSED";
        }
    }

    // ---- create -------------------------------------------------------------------------------

    @Benchmark
    @Threads(1)
    public Session create_library_1() {
        return sessions.create(BenchFiles.PROJECT, BenchFiles.THREAD);
    }

    @Benchmark
    @Threads(1)
    public String create_lockedWriter_1() throws SQLException {
        return locked.run(JdbcWriters.Statements::create);
    }

    @Benchmark
    @Threads(16)
    public Session create_library_16() {
        return sessions.create(BenchFiles.PROJECT, BenchFiles.THREAD);
    }

    @Benchmark
    @Threads(16)
    public String create_lockedWriter_16() throws SQLException {
        return locked.run(JdbcWriters.Statements::create);
    }

    @Benchmark
    @Threads(16)
    public String create_groupCommit_16() throws SQLException {
        return group.run(JdbcWriters.Statements::create);
    }

    // ---- transition (a status compare-and-set that returns the session) ---------------------

    @Benchmark
    @Threads(1)
    public Session transition_library_1(Mine m) {
        return libraryTransition(m);
    }

    @Benchmark
    @Threads(1)
    public Row transition_lockedWriter_1(Mine m) throws SQLException {
        return lockedTransition(m);
    }

    @Benchmark
    @Threads(16)
    public Session transition_library_16(Mine m) {
        return libraryTransition(m);
    }

    @Benchmark
    @Threads(16)
    public Row transition_lockedWriter_16(Mine m) throws SQLException {
        return lockedTransition(m);
    }

    @Benchmark
    @Threads(16)
    public Row transition_groupCommit_16(Mine m) throws SQLException {
        return groupTransition(m);
    }

    private Session libraryTransition(Mine m) {
        SessionStatus from = SessionStatus.valueOf(m.from());
        return sessions.transition(m.library, from, SessionStatus.valueOf(m.to()));
    }

    private Row lockedTransition(Mine m) throws SQLException {
        String from = m.from();
        String to = m.to();
        return locked.run(s -> s.transition(m.locked, from, to));
    }

    private Row groupTransition(Mine m) throws SQLException {
        String from = m.from();
        String to = m.to();
        return group.run(s -> s.transition(m.group, from, to));
    }
}
