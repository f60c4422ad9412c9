package io.claudesignal.sessions.benchmarks;

import io.claudesignal.sessions.application.port.in.Transcripts;
import io.claudesignal.sessions.benchmarks.JdbcWriters.GroupCommit;
import io.claudesignal.sessions.bootstrap.SessionStore;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.TranscriptItem;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * The transcript on SQLite (issue 14's performance targets), through the public {@link Transcripts}
 * API: {@code append} with one caller at 0 and 100,000 items (the cost must not grow with the length),
 * {@code append} with 16 callers on 16 sessions against a hand-written JDBC group commit of the same
 * statements, {@code tail(50)} at 100 and 100,000 items, and {@code fork} at 10,000 items against the
 * same rows copied by one hand-written {@code INSERT ... SELECT}. Large transcripts are written in bulk
 * once per trial ({@link TranscriptFiles#fill}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TranscriptBenchmarks {

    static final int TAIL = 50;
    static final int FORK_ITEMS = 10_000;

    /** One session whose transcript holds {@code items} items, in a library file. */
    public abstract static class Sized {
        Path file;
        SessionStore store;
        Transcripts transcripts;
        SessionId id;

        void open(String name, int items) {
            file = BenchFiles.fresh(name);
            String session = TranscriptFiles.sessions(file, 1).get(0);
            if (items > 0) {
                TranscriptFiles.fill(file, session, items);
            }
            store = SessionStore.openSqlite(file);
            transcripts = store.transcripts();
            id = SessionId.parse(session);
        }

        void close() {
            store.close();
            BenchFiles.delete(file);
        }
    }

    @State(Scope.Benchmark)
    public static class AppendFile extends Sized {
        @Param({"0", "100000"})
        int items;

        @Setup(Level.Trial)
        public void open() {
            open("transcript-append", items);
        }

        @TearDown(Level.Trial)
        public void done() {
            close();
        }
    }

    /** Also a plain-JDBC reader on the same file, for the same rows (a measure of what the library adds). */
    @State(Scope.Benchmark)
    public static class TailFile extends Sized {
        @Param({"100", "100000"})
        int items;

        Connection reader;
        PreparedStatement tail;

        @Setup(Level.Trial)
        public void open() throws SQLException {
            open("transcript-tail", items);
            reader = BenchFiles.reader(file);
            tail = reader.prepareStatement(TranscriptFiles.TAIL);
        }

        @TearDown(Level.Trial)
        public void done() throws SQLException {
            tail.close();
            reader.close();
            close();
        }
    }

    @Benchmark
    @Threads(1)
    public TranscriptItem append_library_1(AppendFile f) {
        return f.transcripts.append(f.id, TranscriptFiles.ITEM);
    }

    @Benchmark
    @Threads(1)
    public List<TranscriptItem> tail_library_1(TailFile f) {
        return f.transcripts.tail(f.id, TAIL);
    }

    @Benchmark
    @Threads(1)
    public List<Object[]> tail_jdbc_1(TailFile f) throws SQLException {
        return TranscriptFiles.tail(f.tail, f.id.toString());
    }

    // ---- 16 callers on 16 sessions --------------------------------------------------------

    /** A library file and a baseline file with 16 sessions each; each caller takes its own. */
    @State(Scope.Benchmark)
    public static class Callers {
        Path libraryFile;
        Path groupFile;
        SessionStore store;
        Transcripts transcripts;
        List<String> libraryIds;
        List<String> groupIds;
        GroupCommit group;
        TranscriptFiles.Append groupAppend; // made and used on the group-commit thread only
        final AtomicInteger next = new AtomicInteger();

        @Setup(Level.Trial)
        public void open() throws SQLException {
            libraryFile = BenchFiles.fresh("transcript-16-library");
            groupFile = BenchFiles.fresh("transcript-16-group");
            libraryIds = TranscriptFiles.sessions(libraryFile, 16);
            groupIds = TranscriptFiles.sessions(groupFile, 16);
            store = SessionStore.openSqlite(libraryFile);
            transcripts = store.transcripts();
            group = new GroupCommit(groupFile);
        }

        long appendByHand(String id) throws SQLException {
            return group.run(s -> {
                if (groupAppend == null) {
                    groupAppend = new TranscriptFiles.Append(s.connection);
                }
                return groupAppend.run(id);
            });
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            store.close();
            group.close(); // its thread has stopped: the statements can be closed here
            if (groupAppend != null) {
                groupAppend.close();
            }
            BenchFiles.delete(libraryFile);
            BenchFiles.delete(groupFile);
        }
    }

    @State(Scope.Thread)
    public static class Mine {
        SessionId library;
        String group;

        @Setup(Level.Trial)
        public void pick(Callers c) {
            int i = c.next.getAndIncrement() % 16;
            library = SessionId.parse(c.libraryIds.get(i));
            group = c.groupIds.get(i);
        }
    }

    @Benchmark
    @Threads(16)
    public TranscriptItem append_library_16(Callers c, Mine m) {
        return c.transcripts.append(m.library, TranscriptFiles.ITEM);
    }

    @Benchmark
    @Threads(16)
    public long append_groupCommit_16(Callers c, Mine m) throws SQLException {
        return c.appendByHand(m.group);
    }

    // ---- fork at 10,000 items ---------------------------------------------------------------

    /** A parent with 10,000 items, forked whole by every call (the children pile up; the file is per trial). */
    public abstract static class ForkFile {
        Path file;
        String parent;

        void build(String name) {
            file = BenchFiles.fresh(name);
            parent = TranscriptFiles.sessions(file, 1).get(0);
            TranscriptFiles.fill(file, parent, FORK_ITEMS);
        }
    }

    @State(Scope.Benchmark)
    public static class LibraryFork extends ForkFile {
        SessionStore store;
        SessionId id;

        @Setup(Level.Trial)
        public void open() {
            build("fork-library");
            store = SessionStore.openSqlite(file);
            id = SessionId.parse(parent);
        }

        @TearDown(Level.Trial)
        public void close() {
            store.close();
            BenchFiles.delete(file);
        }
    }

    /** The same rows copied by hand: the child's row, its counter, and one INSERT ... SELECT of the items. */
    @State(Scope.Benchmark)
    public static class JdbcFork extends ForkFile {
        Connection connection;
        Statement control;
        PreparedStatement session;
        PreparedStatement counter;
        PreparedStatement items;

        @Setup(Level.Trial)
        public void open() throws SQLException {
            build("fork-jdbc");
            connection = BenchFiles.writer(file);
            control = connection.createStatement();
            session = connection.prepareStatement("INSERT INTO sessions (id, project_path, thread_id, status,"
                    + " created_at, updated_at, version, context, forked_from_id, forked_from_seq)"
                    + " SELECT ?, project_path, thread_id, 'CREATED', ?, ?, 1, context, id, ? FROM sessions WHERE id = ?");
            counter = connection.prepareStatement("INSERT INTO transcripts (session_id, last_seq) VALUES (?, ?)");
            items = connection.prepareStatement("INSERT INTO transcript_items (session_id, seq, item_key, appended_at,"
                    + " item) SELECT ?, seq, item_key, appended_at, item FROM transcript_items"
                    + " WHERE session_id = ? AND seq <= ?");
        }

        int fork() throws SQLException {
            String child = UUID.randomUUID().toString();
            String now = BenchFiles.now();
            control.execute("BEGIN IMMEDIATE");
            try {
                session.setString(1, child);
                session.setString(2, now);
                session.setString(3, now);
                session.setLong(4, FORK_ITEMS);
                session.setString(5, parent);
                session.executeUpdate();
                counter.setString(1, child);
                counter.setLong(2, FORK_ITEMS);
                counter.executeUpdate();
                items.setString(1, child);
                items.setString(2, parent);
                items.setLong(3, FORK_ITEMS);
                int rows = items.executeUpdate();
                control.execute("COMMIT");
                return rows;
            } catch (SQLException | RuntimeException e) {
                control.execute("ROLLBACK");
                throw e;
            }
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            for (Statement s : List.of(control, session, counter, items)) {
                s.close();
            }
            connection.close();
            BenchFiles.delete(file);
        }
    }

    @Benchmark
    @Threads(1)
    public Session fork_library_1(LibraryFork f) {
        return f.store.sessions().fork(f.id, FORK_ITEMS);
    }

    @Benchmark
    @Threads(1)
    public int fork_insertSelect_1(JdbcFork f) throws SQLException {
        int rows = f.fork();
        if (rows != FORK_ITEMS) {
            throw new IllegalStateException("copied " + rows);
        }
        return rows;
    }
}
