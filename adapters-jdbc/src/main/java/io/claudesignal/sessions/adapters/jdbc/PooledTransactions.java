package io.claudesignal.sessions.adapters.jdbc;

import io.claudesignal.sessions.application.port.out.StorageFactory;
import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.domain.StorageException.Reason;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;

/**
 * {@link SqlTransactions} over a pool of connections to a server where writers run side by side: a
 * write is one transaction, run again after a short random pause when the server aborted it for
 * contention; a read runs in autocommit, where each statement reads one consistent snapshot. A COMMIT
 * whose answer is lost is settled by asking the server, where it can tell. What differs by server
 * comes from its {@link Server}.
 */
public final class PooledTransactions implements SqlTransactions {

    /** What one server does differently. */
    public interface Server {

        /** A jOOQ context on {@code connection}, in the server's dialect. */
        DSLContext context(Connection connection);

        /** The server aborted the transaction for contention (a deadlock, a serialization failure): it may run again. */
        boolean isRetryable(Throwable error);

        /** {@code error}, met {@code doing} something, as a typed error a person can act on. */
        StorageException translate(String doing, Throwable error);

        /**
         * The id of the transaction open on {@code connection}, by which {@link #outcome} asks whether it
         * committed; empty when it wrote nothing (it has nothing to lose) or the server cannot be asked.
         */
        default Optional<Long> transactionId(Connection connection) {
            return Optional.empty();
        }

        /** What the server knows of the transaction {@code id}, asked on {@code connection}. */
        default Outcome outcome(Connection connection, long id) throws SQLException {
            return Outcome.FORGOTTEN;
        }

        /** After {@code ctx}'s transaction committed. */
        default void afterCommit(DSLContext ctx) {
        }
    }

    /** A transaction's fate, as the server knows it after its COMMIT's answer was lost. */
    public enum Outcome { COMMITTED, ABORTED, IN_PROGRESS, FORGOTTEN }

    /** Tries of one write before contention is reported as the server translates it. */
    private static final int ATTEMPTS = 8;

    private final String where;
    private final DataSource pool;
    private final Server server;
    private volatile boolean closed;

    /** Transactions on {@code pool}; {@code where} names the database in messages. */
    public PooledTransactions(String where, DataSource pool, Server server) {
        this.where = where;
        this.pool = pool;
        this.server = server;
    }

    /**
     * Anything but a database error rolls back and reaches the caller as it is; a database error rolls
     * back and is translated, after up to {@link #ATTEMPTS} tries when it is retryable.
     */
    @Override
    public <T> T write(Function<DSLContext, T> work) {
        for (int attempt = 1; ; attempt++) {
            ensureOpen();
            try (Connection connection = pool.getConnection()) {
                connection.setAutoCommit(false);
                DSLContext ctx = server.context(connection);
                T result;
                try {
                    result = work.apply(ctx);
                } catch (RuntimeException | Error e) {
                    rollbackQuietly(connection);
                    if (!(e instanceof DataAccessException)) {
                        throw e;
                    } else if (retried(e, attempt)) {
                        continue;
                    }
                    throw server.translate("writing", e);
                }
                // The transaction's id, when it wrote anything (from the change-log insert, else asked).
                Optional<Long> id = ctx.data(SqlChangeLog.WRITING_TRANSACTION) instanceof Long known
                        ? Optional.of(known) : server.transactionId(connection);
                try {
                    connection.commit();
                } catch (SQLException e) {
                    if (retried(e, attempt)) {
                        continue; // the server reported it aborted: it did not happen
                    }
                    if (id.isEmpty() || !committed(id.get(), e)) {
                        throw server.translate("committing", e);
                    }
                }
                server.afterCommit(ctx);
                return result;
            } catch (SQLException e) {
                throw server.translate("writing", e);
            }
        }
    }

    @Override
    public <T> T read(Function<DSLContext, T> work) {
        ensureOpen();
        try (Connection connection = pool.getConnection()) {
            return work.apply(server.context(connection));
        } catch (SQLException | DataAccessException e) {
            throw server.translate("reading", e);
        }
    }

    /**
     * Whether the transaction {@code id}, whose COMMIT failed with {@code failure}, took effect, asked
     * on fresh connections: the client does not know, the server does. One still in progress (its
     * backend has not yet noticed the lost client) is asked again, 100 ms apart, for up to 5 s.
     *
     * @throws StorageException {@link Reason#COMMIT_UNKNOWN} when the server cannot be asked or no longer knows
     */
    private boolean committed(long id, SQLException failure) {
        Exception asking = null;
        int refused = 0;
        for (int poll = 0; poll < 50; poll++) {
            try (Connection connection = pool.getConnection()) {
                Outcome outcome = server.outcome(connection, id);
                if (outcome == Outcome.FORGOTTEN) {
                    break;
                } else if (outcome != Outcome.IN_PROGRESS) {
                    return outcome == Outcome.COMMITTED;
                }
            } catch (SQLException | RuntimeException e) {
                asking = e;
                if (++refused >= 3) { // a server just restarted may refuse the first connections
                    break;
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        StorageException unknown = new StorageException(Reason.COMMIT_UNKNOWN, null, where
                + ": committing failed and its outcome is unknown: the change may or may not have been written ("
                + StorageFactory.redact(SqlErrors.rootMessage(failure)) + "); read it back before repeating it", failure);
        if (asking != null) {
            unknown.addSuppressed(asking);
        }
        throw unknown;
    }

    /** Whether {@code error} may simply be run again, after a pause; false on the last try. */
    private boolean retried(Throwable error, int attempt) {
        if (!server.isRetryable(error) || attempt >= ATTEMPTS) {
            return false;
        }
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 5L << Math.min(attempt, 6)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(Reason.OTHER, null, "interrupted while retrying a write", e);
        }
        return true;
    }

    private void ensureOpen() {
        if (closed) {
            throw closedError();
        }
    }

    public StorageException closedError() {
        return new StorageException(Reason.CLOSED, null, where + ": the store is closed");
    }

    /** Refuses work from now on; the pool is its owner's to close. */
    public void close() {
        closed = true;
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // The pool discards a broken connection; the server rolls back what it had open.
        }
    }
}
