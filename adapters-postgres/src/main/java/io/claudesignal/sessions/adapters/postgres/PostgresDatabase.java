package io.claudesignal.sessions.adapters.postgres;

import static io.claudesignal.sessions.domain.StorageException.Reason.BUSY;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.claudesignal.sessions.adapters.jdbc.SqlChangeLog;
import io.claudesignal.sessions.adapters.jdbc.SqlTransactions;
import io.claudesignal.sessions.domain.StorageException.Reason;
import io.claudesignal.sessions.domain.StorageException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * The connection pool of one store, and its transactions. A write is one READ COMMITTED
 * transaction, run again when the server aborted it for a deadlock or a serialization failure; a read
 * runs in autocommit, where each statement reads one consistent snapshot. A COMMIT whose answer is lost
 * is settled by asking the server for the transaction's status.
 */
final class PostgresDatabase implements SqlTransactions, AutoCloseable {

    /** Tries of one write before contention is reported as {@link Reason#BUSY}. */
    private static final int ATTEMPTS = 8;
    /** Polls of a transaction still "in progress" after its connection failed, 100 ms apart. */
    private static final int STATUS_POLLS = 50;
    static final String CHANNEL = "sessions_changes";
    /** Marks a write's context whose commit the schema's followers must hear of. */
    private static final String ANNOUNCE = "sessions.announce";
    // The generated tables carry no schema (search_path picks it); names qualified by hand keep theirs.
    private static final Settings JOOQ_SETTINGS = new Settings().withExecuteLogging(false)
            .withRenderQuotedNames(RenderQuotedNames.EXPLICIT_DEFAULT_QUOTED);

    private final String jdbc;
    private final HikariDataSource pool;
    private final PostgresSettings settings;
    /** Sends the NOTIFY after the commits that grew the change log, one for any number made meanwhile. */
    private final ExecutorService announcer = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "sessions-announcer");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean announcementDue = new AtomicBoolean();
    private volatile boolean closed;

    private PostgresDatabase(String jdbc, HikariDataSource pool, PostgresSettings settings) {
        this.jdbc = jdbc;
        this.pool = pool;
        this.settings = settings;
    }

    /**
     * Starts the pool on {@code jdbc} with the server timeouts as start-up options, which every
     * connection made with the URL gets (the pool's, LISTEN's, the daemon name's lock) and no lost
     * {@code SET} can undo; opens the first connection, so that a refused login is reported now.
     */
    static PostgresDatabase open(String given, PostgresSettings settings) {
        String jdbc = PostgresStorage.withStartupOptions(given, "-c lock_timeout=" + settings.lockTimeout().toMillis()
                + " -c statement_timeout=" + settings.statementTimeout().toMillis()
                + " -c idle_in_transaction_session_timeout=" + settings.idleInTransactionTimeout().toMillis());
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbc);
        config.setPoolName("sessions-postgres-" + settings.schema());
        config.setSchema(settings.schema());
        // The lease and recovery logic reads fresh rows in each statement after taking row locks.
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        config.setAutoCommit(true);
        config.setMaximumPoolSize(settings.maxPoolSize());
        config.setMinimumIdle(1);
        config.setConnectionTimeout(settings.connectTimeout().toMillis());
        // One attempt at start-up, bounded by the driver's connectTimeout; later borrowers wait up to connectionTimeout.
        config.setInitializationFailTimeout(1);
        config.addDataSourceProperty("ApplicationName", "claude-signal-sessions");
        config.addDataSourceProperty("connectTimeout", Long.toString(Math.max(1, settings.connectTimeout().toSeconds())));
        config.addDataSourceProperty("tcpKeepAlive", "true");
        try {
            return new PostgresDatabase(jdbc, new HikariDataSource(config), settings);
        } catch (RuntimeException e) {
            throw PostgresDialect.translate(PostgresStorage.describe(jdbc), settings, "connecting", e);
        }
    }

    /** The JDBC URL every connection of the store is made with, its password and start-up options included. */
    String jdbc() {
        return jdbc;
    }

    PostgresSettings settings() {
        return settings;
    }

    DataSource dataSource() {
        return pool;
    }

    /** A connection outside the pool (LISTEN, an advisory lock), which the server ends with the process. */
    Connection ownConnection(String purpose) throws SQLException {
        Properties props = new Properties();
        props.setProperty("ApplicationName", "claude-signal-sessions " + purpose);
        props.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(jdbc, props);
    }

    /**
     * Runs {@code work} in one transaction and commits it. Anything but a database error rolls back
     * and reaches the caller as it is; a database error rolls back and is translated, after up to
     * {@link #ATTEMPTS} tries when the server aborted the transaction for a deadlock or a serialization
     * failure. When the connection fails during COMMIT, the outcome is asked on a fresh connection:
     * committed returns normally, aborted fails as usual, unknown is {@link Reason#COMMIT_UNKNOWN}.
     */
    @Override
    public <T> T write(Function<DSLContext, T> work) {
        for (int attempt = 1; ; attempt++) {
            ensureOpen();
            try (Connection connection = pool.getConnection()) {
                connection.setAutoCommit(false);
                DSLContext ctx = DSL.using(connection, SQLDialect.POSTGRES, JOOQ_SETTINGS);
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
                    throw translate("writing", e);
                }
                // The transaction's id, when it wrote anything (read back from the change-log insert, else
                // asked), to settle a COMMIT whose answer is lost.
                Long xid = ctx.data(SqlChangeLog.WRITING_TRANSACTION) instanceof Long known ? known
                        : transactionId(connection);
                try {
                    connection.commit();
                } catch (SQLException e) {
                    if (retried(e, attempt)) {
                        continue; // the server reported it aborted: it did not happen
                    }
                    if (xid == null || !committed(xid, e)) {
                        throw translate("committing", e);
                    }
                }
                if (ctx.data(ANNOUNCE) != null) {
                    announceCommit();
                }
                return result;
            } catch (SQLException e) {
                throw translate("writing", e);
            }
        }
    }

    /** Runs {@code work} in autocommit: each statement reads one consistent snapshot. */
    @Override
    public <T> T read(Function<DSLContext, T> work) {
        ensureOpen();
        try (Connection connection = pool.getConnection()) {
            return work.apply(DSL.using(connection, SQLDialect.POSTGRES, JOOQ_SETTINGS));
        } catch (SQLException | DataAccessException e) {
            throw translate("reading", e);
        }
    }

    /** The write running in {@code ctx} grew the change log: its followers hear of it once it commits. */
    static void announceAfterCommit(DSLContext ctx) {
        ctx.data(ANNOUNCE, Boolean.TRUE);
    }

    /**
     * A {@code NOTIFY} in a transaction of its own, after the commit: inside the writing transaction it
     * would hold the server's notify-queue lock through the commit, and every writer would take turns
     * there. A lost one costs a follower at most its safety-net delay: it reads the log anyway.
     */
    private void announceCommit() {
        if (!announcementDue.getAndSet(true)) {
            try {
                announcer.execute(() -> {
                    announcementDue.set(false); // commits from now on need another announcement
                    try (Connection connection = pool.getConnection();
                         var notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
                        notify.setString(1, CHANNEL);
                        notify.setString(2, settings.schema());
                        notify.execute();
                    } catch (SQLException | RuntimeException e) {
                        System.getLogger(PostgresDatabase.class.getName())
                                .log(System.Logger.Level.DEBUG, "announcing a change failed", e);
                    }
                });
            } catch (RejectedExecutionException closing) {
                // The store is closing: its followers read the log on their safety net.
            }
        }
    }

    /** The id of the open transaction, or null when it has written nothing (then it has nothing to lose). */
    private static Long transactionId(Connection connection) {
        try (var statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT txid_current_if_assigned()")) {
            rows.next();
            long xid = rows.getLong(1);
            return rows.wasNull() ? null : xid;
        } catch (SQLException e) {
            return null; // the COMMIT that follows fails the same way and is reported as it always was
        }
    }

    /**
     * Whether the transaction {@code xid}, whose COMMIT failed with {@code failure}, took effect, asked
     * on fresh connections: the client does not know, the server's commit log does. One still in progress
     * (its backend has not yet noticed the lost client) is asked again for up to 5 s.
     *
     * @throws StorageException {@link Reason#COMMIT_UNKNOWN} when the server cannot be asked or no longer knows
     */
    private boolean committed(long xid, SQLException failure) {
        Exception asking = null;
        int refused = 0;
        for (int poll = 0; poll < STATUS_POLLS; poll++) {
            try (Connection connection = pool.getConnection();
                 var statement = connection.prepareStatement("SELECT txid_status(?)")) {
                statement.setLong(1, xid);
                try (var rows = statement.executeQuery()) {
                    rows.next();
                    String status = rows.getString(1);
                    if (status == null) {
                        break; // too old for the commit log: the server no longer knows
                    } else if (!status.equals("in progress")) {
                        return status.equals("committed");
                    }
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
        StorageException unknown = new StorageException(Reason.COMMIT_UNKNOWN, null, this
                + ": committing failed and its outcome is unknown: the change may or may not have been written ("
                + PostgresDialect.rootMessage(failure) + "); read it back before repeating it", failure);
        if (asking != null) {
            unknown.addSuppressed(asking);
        }
        throw unknown;
    }

    /** Whether {@code error} aborted a transaction that may simply be run again, after a pause; false on the last try. */
    private static boolean retried(Throwable error, int attempt) {
        if (!PostgresDialect.isRetryable(error) || attempt >= ATTEMPTS) {
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

    StorageException closedError() {
        return new StorageException(Reason.CLOSED, null, this + ": the store is closed");
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // The pool discards a broken connection; the server rolls back what it had open.
        }
    }

    /**
     * Stops the announcer once it has announced the commits made so far (a CLI command that exits right
     * after its write is heard at once), waiting at most 2 s, then closes the pool it uses.
     */
    @Override
    public void close() {
        closed = true;
        announcer.shutdown();
        try {
            announcer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.close();
    }

    /** The database, as a JDBC URL without its password or start-up options. */
    @Override
    public String toString() {
        return PostgresStorage.describe(jdbc);
    }

    StorageException translate(String doing, Throwable error) {
        return PostgresDialect.translate(toString(), settings, doing, error);
    }
}
