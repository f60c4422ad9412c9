package io.claudesignal.sessions.benchmarks;

import io.claudesignal.sessions.adapters.sqlite.SqliteSettings;
import io.claudesignal.sessions.application.MessagesConfig;
import io.claudesignal.sessions.application.SessionsConfig;
import io.claudesignal.sessions.benchmarks.JdbcWriters.GroupCommit;
import io.claudesignal.sessions.bootstrap.SessionStore;
import io.claudesignal.sessions.domain.InboxMessage;
import io.claudesignal.sessions.domain.Reply;
import io.claudesignal.sessions.domain.SessionId;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
 * The inbox and the outbox on SQLite (issue 24's targets), through the public API: {@code receive} and
 * {@code enqueue} with 16 callers on 16 sessions against a hand-written JDBC group commit of the same
 * rows (the counter and the message; the reply), and {@code next} and {@code claim} at 10 and at
 * 10,000 waiting. So that the depth stays what it is, each {@code next} operation is a cycle of
 * {@code next}, {@code done} and one {@code receive}, and each {@code claim} one of {@code claim(1)},
 * {@code sent} and one {@code enqueue}: what the depth changes is the cost of that cycle.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class MessageBenchmarks {

    static final String MESSAGE = "{\"text\":\"" + "please run the tests and tell me which ones fail. ".repeat(3) + "\"}";
    static final AtomicLong KEYS = new AtomicLong();
    /** No bound in the way: these measure the write, not the refusal. */
    static final SessionsConfig UNBOUNDED = SessionsConfig.cli()
            .withMessages(MessagesConfig.DEFAULTS.withInboxLimit(MessagesConfig.MAX_INBOX_LIMIT));

    static String key() {
        return "k" + KEYS.incrementAndGet();
    }

    // ---- receive and enqueue with 16 callers ----------------------------------------------------

    @State(Scope.Benchmark)
    public static class Callers {
        Path libraryFile;
        Path groupFile;
        SessionStore store;
        List<String> libraryIds;
        List<String> groupIds;
        GroupCommit group;
        PreparedStatement bump;
        PreparedStatement start;
        PreparedStatement insertMessage;
        PreparedStatement insertReply;
        final AtomicInteger next = new AtomicInteger();

        @Setup(Level.Trial)
        public void open() {
            libraryFile = BenchFiles.fresh("messages-16-library");
            groupFile = BenchFiles.fresh("messages-16-group");
            libraryIds = TranscriptFiles.sessions(libraryFile, 16);
            groupIds = TranscriptFiles.sessions(groupFile, 16);
            store = SessionStore.openSqlite(libraryFile, SqliteSettings.defaults(), UNBOUNDED);
            try {
                group = new GroupCommit(groupFile);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The rows receive writes, by hand: the session's counter, then the message. */
        long receiveByHand(String id) throws SQLException {
            return group.run(s -> {
                if (bump == null) {
                    bump = s.connection.prepareStatement("UPDATE inboxes SET last_seq = last_seq + 1,"
                            + " unhandled = unhandled + 1 WHERE session_id = ? RETURNING last_seq");
                    start = s.connection.prepareStatement(
                            "INSERT INTO inboxes (session_id, last_seq, unhandled) VALUES (?, 1, 1)");
                    insertMessage = s.connection.prepareStatement("INSERT INTO inbox_messages (session_id, seq,"
                            + " message_key, state, received_at, message) VALUES (?, ?, ?, 'WAITING', ?, ?)");
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
                insertMessage.setString(1, id);
                insertMessage.setLong(2, seq);
                insertMessage.setString(3, key());
                insertMessage.setString(4, BenchFiles.now());
                insertMessage.setString(5, MESSAGE);
                insertMessage.executeUpdate();
                return seq;
            });
        }

        /** The row enqueue writes, by hand. */
        long enqueueByHand(String id) throws SQLException {
            return group.run(s -> {
                if (insertReply == null) {
                    insertReply = s.connection.prepareStatement("INSERT INTO outbox_replies (session_id, reply_key,"
                            + " state, attempts, due_at, queued_at, reply) VALUES (?, ?, 'PENDING', 0, ?, ?, ?)");
                }
                String now = BenchFiles.now();
                insertReply.setString(1, id);
                insertReply.setString(2, key());
                insertReply.setString(3, now);
                insertReply.setString(4, now);
                insertReply.setString(5, MESSAGE);
                return (long) insertReply.executeUpdate();
            });
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            store.close();
            group.close(); // its thread has stopped: the statements can be closed here
            for (PreparedStatement p : new PreparedStatement[] {bump, start, insertMessage, insertReply}) {
                if (p != null) {
                    p.close();
                }
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
    public InboxMessage receive_library_16(Callers c, Mine m) {
        return c.store.inbox().receive(m.library, MESSAGE, key());
    }

    @Benchmark
    @Threads(16)
    public long receive_groupCommit_16(Callers c, Mine m) throws SQLException {
        return c.receiveByHand(m.group);
    }

    @Benchmark
    @Threads(16)
    public Reply enqueue_library_16(Callers c, Mine m) {
        return c.store.outbox().enqueue(m.library, MESSAGE, key());
    }

    @Benchmark
    @Threads(16)
    public long enqueue_groupCommit_16(Callers c, Mine m) throws SQLException {
        return c.enqueueByHand(m.group);
    }

    // ---- next and claim at 10 and 10,000 waiting -----------------------------------------------

    /** One session with {@code waiting} messages, and {@code waiting} replies over 16 sessions, written in bulk. */
    @State(Scope.Benchmark)
    public static class Deep {
        @Param({"10", "10000"})
        int waiting;

        Path file;
        SessionStore store;
        SessionId inbox;
        List<String> sessions;
        int turn;

        @Setup(Level.Trial)
        public void open() throws SQLException {
            file = BenchFiles.fresh("messages-deep");
            sessions = TranscriptFiles.sessions(file, 16);
            Instant start = Instant.parse("2026-01-01T00:00:00Z");
            try (Connection c = BenchFiles.writer(file)) {
                c.setAutoCommit(false);
                try (PreparedStatement counter = c.prepareStatement(
                        "INSERT INTO inboxes (session_id, last_seq, unhandled) VALUES (?, ?, ?)");
                     PreparedStatement message = c.prepareStatement("INSERT INTO inbox_messages (session_id, seq,"
                             + " message_key, state, received_at, message) VALUES (?, ?, ?, 'WAITING', ?, ?)");
                     PreparedStatement reply = c.prepareStatement("INSERT INTO outbox_replies (session_id, reply_key,"
                             + " state, attempts, due_at, queued_at, reply) VALUES (?, ?, 'PENDING', 0, ?, ?, ?)")) {
                    counter.setString(1, sessions.get(0));
                    counter.setLong(2, waiting);
                    counter.setLong(3, waiting);
                    counter.executeUpdate();
                    for (int i = 1; i <= waiting; i++) {
                        String at = BenchFiles.ts(start.plus(i, ChronoUnit.MICROS));
                        message.setString(1, sessions.get(0));
                        message.setLong(2, i);
                        message.setString(3, "filled-" + i);
                        message.setString(4, at);
                        message.setString(5, MESSAGE);
                        message.addBatch();
                        reply.setString(1, sessions.get(i % 16));
                        reply.setString(2, "filled-" + i);
                        reply.setString(3, at);
                        reply.setString(4, at);
                        reply.setString(5, MESSAGE);
                        reply.addBatch();
                    }
                    message.executeBatch();
                    reply.executeBatch();
                }
                c.commit();
            }
            store = SessionStore.openSqlite(file, SqliteSettings.defaults(), UNBOUNDED);
            inbox = SessionId.parse(sessions.get(0));
        }

        @TearDown(Level.Trial)
        public void close() {
            store.close();
            BenchFiles.delete(file);
        }
    }

    @Benchmark
    @Threads(1)
    public InboxMessage next_library_1(Deep d) {
        InboxMessage taken = d.store.inbox().next(d.inbox).orElseThrow();
        d.store.inbox().done(d.inbox, taken.seq());
        return d.store.inbox().receive(d.inbox, MESSAGE, key());
    }

    @Benchmark
    @Threads(1)
    public Reply claim_library_1(Deep d) {
        Reply claimed = d.store.outbox().claim(1, Duration.ofMinutes(1)).get(0);
        d.store.outbox().sent(claimed.id());
        return d.store.outbox().enqueue(claimed.sessionId(), MESSAGE, key());
    }
}
