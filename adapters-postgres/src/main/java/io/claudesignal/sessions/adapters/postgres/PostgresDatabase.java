package io.claudesignal.sessions.adapters.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.claudesignal.sessions.adapters.jdbc.SqlChangeLog;
import io.claudesignal.sessions.adapters.jdbc.SqlTransactions;
import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.domain.StorageException.Reason;
import io.claudesignal.sessions.domain.SessionsException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * The connection pool of one store, and its two ways of working: a write is one READ COMMITTED
 * transaction, run again when the server aborted it for a deadlock or a serialization failure; a read
 * runs in autocommit, where each statement reads one consistent snapshot. A COMMIT whose answer is
 * lost (the connection died) is settled by asking the server for the transaction's status.
 */
final class PostgresDatabase implements SqlTransactions, AutoCloseable {

    /** Tries of one write before contention is reported as {@link Reason#BUSY}. */
    static final int ATTEMPTS = 8;

    // The generated tables carry no schema (search_path picks it); names qualified by hand keep theirs.
    private static final Settings JOOQ_SETTINGS = new Settings()
            .withExecuteLogging(false)
            .withRenderQuotedNames(RenderQuotedNames.EXPLICIT_DEFAULT_QUOTED);

    /** Marks a write's context whose commit the schema's followers must hear of ({@link #announceAfterCommit}). */
    private static final String ANNOUNCE = "sessions.announce";

    private final PostgresUrl url;
    private final HikariDataSource pool;
    private final PostgresSettings settings;
    private final CommitAnnouncer announcer;
    private volatile boolean closed;

    private PostgresDatabase(PostgresUrl url, HikariDataSource pool, PostgresSettings settings) {
        this.url = url;
        this.pool = pool;
        this.settings = settings;
        this.announcer = new CommitAnnouncer(pool, settings.schema());
    }

    /** The write running in {@code ctx} grew the change log: its followers hear of it once it commits. */
    static void announceAfterCommit(DSLContext ctx) {
        ctx.data(ANNOUNCE, Boolean.TRUE);
    }

    /** Whether lease expiry is decided with the server's clock ({@link PostgresSettings#leaseTimeFromServer()}). */
    boolean leaseTimeFromServer() {
        return settings.leaseTimeFromServer();
    }

    /**
     * {@code url} with the server timeouts as start-up options: set by the server as each connection
     * starts, so that every connection made with the URL has them (the pool's, the change feed's LISTEN
     * connection, the daemon name's lock connection), and no {@code SET} can be lost or forgotten.
     */
    static PostgresUrl withTimeouts(PostgresUrl url, PostgresSettings settings) {
        return url.withStartupOptions("-c lock_timeout=" + settings.lockTimeout().toMillis()
                + " -c statement_timeout=" + settings.statementTimeout().toMillis()
                + " -c idle_in_transaction_session_timeout=" + settings.idleInTransactionTimeout().toMillis());
    }

    /**
     * Starts the pool and opens its first connection, so that an unreachable server or a refused login
     * is reported now rather than at the first query.
     */
    static PostgresDatabase open(PostgresUrl given, PostgresSettings settings) {
        PostgresUrl url = withTimeouts(given, settings);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url.jdbc());
        config.setPoolName("sessions-postgres-" + settings.schema());
        config.setSchema(settings.schema());
        // The lease and recovery logic reads fresh rows in each statement after taking row locks.
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        config.setAutoCommit(true);
        config.setMaximumPoolSize(settings.maxPoolSize());
        config.setMinimumIdle(1);
        config.setConnectionTimeout(settings.connectTimeout().toMillis());
        // One attempt at start-up (bounded by the driver's connectTimeout): a refused connection or login
        // is reported at once, not after retries; later borrowers wait up to connectionTimeout.
        config.setInitializationFailTimeout(1);
        config.addDataSourceProperty("ApplicationName", "claude-signal-sessions");
        config.addDataSourceProperty("connectTimeout", Long.toString(Math.max(1, settings.connectTimeout().toSeconds())));
        config.addDataSourceProperty("tcpKeepAlive", "true");
        try {
            return new PostgresDatabase(url, new HikariDataSource(config), settings);
        } catch (RuntimeException e) {
            throw PostgresErrors.translate(url, settings, "connecting", e);
        }
    }

    PostgresUrl url() {
        return url;
    }

    DataSource dataSource() {
        return pool;
    }

    static DSLContext context(Connection connection) {
        return DSL.using(connection, SQLDialect.POSTGRES, JOOQ_SETTINGS);
    }

    /**
     * Runs {@code work} in one transaction and commits it. A {@link SessionsException} (a refused
     * change) or any other exception {@code work} throws itself rolls back and reaches the caller as it
     * is; a database error rolls back and becomes a {@link StorageException}, after up to
     * {@link #ATTEMPTS} tries when the server aborted the transaction for a deadlock or a serialization
     * failure ({@code work} must therefore have no effect outside the database). When the connection
     * fails during COMMIT, the outcome is asked on a fresh connection: committed returns normally,
     * aborted fails as usual, and an outcome that cannot be learnt is {@link Reason#COMMIT_UNKNOWN}.
     */
    @Override
    public <T> T write(Function<DSLContext, T> work) {
        for (int attempt = 1; ; attempt++) {
            ensureOpen();
            try (Connection connection = pool.getConnection()) {
                connection.setAutoCommit(false);
                T result;
                DSLContext ctx = context(connection);
                try {
                    result = work.apply(ctx);
                } catch (RuntimeException | Error e) {
                    rollbackQuietly(connection);
                    if (e instanceof DataAccessException && PostgresErrors.isRetryable(e) && attempt < ATTEMPTS) {
                        backOff(attempt);
                        continue;
                    }
                    if (e instanceof DataAccessException) {
                        throw PostgresErrors.translate(url, settings, "writing", e);
                    }
                    throw e;
                }
                // The transaction's id, when it wrote anything: if the connection dies during COMMIT,
                // the server is asked on another connection whether it committed (see commitOutcome).
                // Read back from the change-log insert when the write recorded one change; else asked.
                Object recorded = ctx.data(SqlChangeLog.WRITING_TRANSACTION);
                Long xid = recorded instanceof Long known ? known : transactionId(connection);
                try {
                    connection.commit();
                } catch (SQLException e) {
                    // Only a transaction the server reports aborted is known not to have happened.
                    if (PostgresErrors.isRetryable(e) && attempt < ATTEMPTS) {
                        backOff(attempt);
                        continue;
                    }
                    if (xid == null || commitOutcome(xid, e) == Outcome.ABORTED) {
                        throw PostgresErrors.translate(url, settings, "committing", e);
                    }
                    // COMMITTED: the write took effect although the answer to COMMIT was lost.
                }
                if (ctx.data(ANNOUNCE) != null) {
                    announcer.committed();
                }
                return result;
            } catch (SQLException e) {
                throw PostgresErrors.translate(url, settings, "writing", e);
            }
        }
    }

    private enum Outcome { COMMITTED, ABORTED }

    /** Polls of a transaction still "in progress" after its connection failed, 100 ms apart. */
    private static final int STATUS_POLLS = 50;

    /** The id of the open transaction, or null when it has written nothing (then it has nothing to lose). */
    private static Long transactionId(Connection connection) {
        try (var statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT txid_current_if_assigned()")) {
            rows.next();
            long xid = rows.getLong(1);
            return rows.wasNull() ? null : xid;
        } catch (SQLException e) {
            // The COMMIT that follows fails the same way and is reported as it always was.
            return null;
        }
    }

    /**
     * Whether the transaction {@code xid}, whose COMMIT failed with {@code failure}, took effect, asked
     * on a fresh connection: a connection that died during COMMIT leaves the client not knowing, while
     * the server's commit log knows. A transaction still in progress (its backend has not yet noticed
     * the lost client, or is finishing) is asked again for up to 5 s. When the server cannot be asked,
     * or does not know, the outcome is reported as {@link Reason#COMMIT_UNKNOWN}.
     */
    private Outcome commitOutcome(long xid, SQLException failure) {
        Exception asking = null;
        int refused = 0;
        for (int poll = 0; poll < STATUS_POLLS; poll++) {
            String status = null;
            boolean answered = false;
            try (Connection connection = pool.getConnection();
                 var statement = connection.prepareStatement("SELECT txid_status(?)")) {
                statement.setLong(1, xid);
                try (var rows = statement.executeQuery()) {
                    rows.next();
                    status = rows.getString(1);
                    answered = true;
                }
            } catch (SQLException | RuntimeException e) {
                asking = e;
                // A server that was just restarted may refuse the first connections: ask three times.
                if (++refused >= 3) {
                    break;
                }
            }
            if ("committed".equals(status)) {
                return Outcome.COMMITTED;
            } else if ("aborted".equals(status)) {
                return Outcome.ABORTED;
            } else if (answered && status == null) {
                break; // too old for the commit log: the server no longer knows
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        StorageException unknown = new StorageException(Reason.COMMIT_UNKNOWN, null, url
                + ": committing failed and its outcome is unknown: the change may or may not have been written ("
                + PostgresErrors.rootMessage(failure) + "); read it back before repeating it", failure);
        if (asking != null) {
            unknown.addSuppressed(asking);
        }
        throw unknown;
    }

    /** Runs {@code work} in autocommit: each statement reads one consistent snapshot. */
    @Override
    public <T> T read(Function<DSLContext, T> work) {
        ensureOpen();
        try (Connection connection = pool.getConnection()) {
            return work.apply(context(connection));
        } catch (SessionsException e) {
            throw e;
        } catch (SQLException | DataAccessException e) {
            throw PostgresErrors.translate(url, settings, "reading", e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new StorageException(Reason.CLOSED, null, url + ": the store is closed");
        }
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 5L << Math.min(attempt, 6)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException(Reason.OTHER, null, "interrupted while retrying a write", e);
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // The pool discards a broken connection; the server rolls back what it had open.
        }
    }

    @Override
    public void close() {
        closed = true;
        announcer.close();
        pool.close();
    }
}
