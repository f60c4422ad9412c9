package io.claudesignal.sessions.benchmarks;

import io.claudesignal.sessions.benchmarks.BenchFiles.Row;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The plain-JDBC baselines the library's writes are measured against. Both use one connection with
 * prepared statements kept open, the library writer's settings (WAL, {@code synchronous=FULL}) and the
 * same statements as the library: an INSERT of a whole row; and a status compare-and-set that returns
 * the changed row, with the history entry and the lease rule the library writes in the same transaction.
 */
public final class JdbcWriters {

    static final String TRANSITION = "UPDATE sessions SET status = ?, version = version + 1,"
            + " updated_at = max(updated_at, ?) WHERE id = ? AND status = ? RETURNING " + BenchFiles.COLUMNS;
    // What the library writes with every status change: its history entry and its lease rule.
    static final String HISTORY = "INSERT INTO transitions (session_id, from_status, to_status, changed_at, reason, actor)"
            + " VALUES (?, ?, ?, ?, 'user', 'bench')";
    static final String DROP_LEASE = "DELETE FROM leases WHERE session_id = ?";

    private JdbcWriters() {
    }

    /** The writes both baselines do, on one connection. */
    static final class Statements implements AutoCloseable {
        final Connection connection;
        private final PreparedStatement insert;
        private final PreparedStatement transition;
        private final PreparedStatement history;
        private final PreparedStatement dropLease;

        Statements(Path file) throws SQLException {
            connection = BenchFiles.writer(file);
            insert = connection.prepareStatement(BenchFiles.INSERT);
            transition = connection.prepareStatement(TRANSITION);
            history = connection.prepareStatement(HISTORY);
            dropLease = connection.prepareStatement(DROP_LEASE);
        }

        String create() throws SQLException {
            String id = UUID.randomUUID().toString();
            BenchFiles.bindInsert(insert, id, "CREATED", BenchFiles.now(), "{}");
            insert.executeUpdate();
            return id;
        }

        Row transition(String id, String expected, String target) throws SQLException {
            transition.setString(1, target);
            transition.setString(2, BenchFiles.now());
            transition.setString(3, id);
            transition.setString(4, expected);
            Row row;
            try (ResultSet rs = transition.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no session " + id + " in " + expected);
                }
                row = Row.read(rs);
            }
            if (!target.equals("ACTIVE")) {
                dropLease.setString(1, id);
                dropLease.executeUpdate();
            }
            history.setString(1, id);
            history.setString(2, expected);
            history.setString(3, target);
            history.setString(4, row.updatedAt());
            history.executeUpdate();
            return row;
        }

        @Override
        public void close() throws SQLException {
            insert.close();
            transition.close();
            history.close();
            dropLease.close();
            connection.close();
        }
    }

    /** An operation on the baseline's connection. */
    public interface Op<T> {
        T run(Statements statements) throws SQLException;
    }

    /** The simple way: one connection behind a lock, each operation its own transaction, committed alone. */
    public static final class LockedWriter implements AutoCloseable {
        private final Statements statements;
        private final Statement control;

        public LockedWriter(Path file) throws SQLException {
            statements = new Statements(file);
            control = statements.connection.createStatement();
        }

        public synchronized <T> T run(Op<T> op) throws SQLException {
            control.execute("BEGIN IMMEDIATE");
            try {
                T result = op.run(statements);
                control.execute("COMMIT");
                return result;
            } catch (SQLException | RuntimeException e) {
                control.execute("ROLLBACK");
                throw e;
            }
        }

        @Override
        public synchronized void close() throws SQLException {
            control.close();
            statements.close();
        }
    }

    /**
     * Group commit written by hand: callers queue operations; one thread runs every one waiting in one
     * {@code BEGIN IMMEDIATE … COMMIT} and answers them after the COMMIT. No savepoints, no retries.
     */
    public static final class GroupCommit implements AutoCloseable {
        private record Request<T>(Op<T> op, CompletableFuture<T> answer) {
        }

        private static final Request<Void> STOP = new Request<>(s -> null, new CompletableFuture<>());

        private final Statements statements;
        private final Statement control;
        private final BlockingQueue<Request<?>> queue = new ArrayBlockingQueue<>(256);
        private final Thread thread;

        public GroupCommit(Path file) throws SQLException {
            statements = new Statements(file);
            control = statements.connection.createStatement();
            thread = new Thread(this::loop, "jdbc-group-commit");
            thread.setDaemon(true);
            thread.start();
        }

        public <T> T run(Op<T> op) throws SQLException {
            Request<T> request = new Request<>(op, new CompletableFuture<>());
            try {
                queue.put(request);
                return request.answer().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException(e);
            } catch (ExecutionException e) {
                throw new SQLException(e.getCause());
            }
        }

        private void loop() {
            List<Request<?>> batch = new ArrayList<>();
            List<Object> results = new ArrayList<>();
            while (true) {
                try {
                    batch.add(queue.take());
                } catch (InterruptedException e) {
                    return;
                }
                queue.drainTo(batch, 127);
                boolean stop = batch.remove(STOP);
                try {
                    control.execute("BEGIN IMMEDIATE");
                    for (Request<?> r : batch) {
                        try {
                            results.add(r.op().run(statements));
                        } catch (SQLException | RuntimeException e) {
                            results.add(e);
                        }
                    }
                    control.execute("COMMIT");
                    for (int i = 0; i < batch.size(); i++) {
                        answer(batch.get(i), results.get(i));
                    }
                } catch (SQLException e) {
                    batch.forEach(r -> r.answer().completeExceptionally(e));
                }
                batch.clear();
                results.clear();
                if (stop) {
                    return;
                }
            }
        }

        @SuppressWarnings("unchecked")
        private static <T> void answer(Request<T> request, Object result) {
            if (result instanceof Exception e) {
                request.answer().completeExceptionally(e);
            } else {
                request.answer().complete((T) result);
            }
        }

        @Override
        public void close() throws SQLException {
            try {
                queue.put(STOP);
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            control.close();
            statements.close();
        }
    }
}
