package io.claudesignal.sessions.adapters.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.claudesignal.sessions.adapters.jdbc.PooledTransactions;
import io.claudesignal.sessions.adapters.jdbc.PooledTransactions.Outcome;
import io.claudesignal.sessions.adapters.jdbc.SqlTransactions;
import io.claudesignal.sessions.domain.StorageException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.RenderQuotedNames;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;

/**
 * The connection pool of one store, and its transactions ({@link PooledTransactions}): a write is one
 * READ COMMITTED transaction; a COMMIT whose answer is lost is settled by asking the server for the
 * transaction's status; the change log's followers are told after the commit.
 */
final class PostgresDatabase implements SqlTransactions, PooledTransactions.Server, AutoCloseable {

    static final String CHANNEL = "sessions_changes";
    /** Marks a write's context whose commit the schema's followers must hear of. */
    private static final String ANNOUNCE = "sessions.announce";
    // The generated tables carry no schema (search_path picks it); names qualified by hand keep theirs.
    private static final Settings JOOQ_SETTINGS = new Settings().withExecuteLogging(false)
            .withRenderQuotedNames(RenderQuotedNames.EXPLICIT_DEFAULT_QUOTED);

    private final String jdbc;
    private final HikariDataSource pool;
    private final PostgresSettings settings;
    private final PooledTransactions transactions;
    /** Sends the NOTIFY after the commits that grew the change log, one for any number made meanwhile. */
    private final ExecutorService announcer = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "sessions-announcer");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean announcementDue = new AtomicBoolean();

    private PostgresDatabase(String jdbc, HikariDataSource pool, PostgresSettings settings) {
        this.jdbc = jdbc;
        this.pool = pool;
        this.settings = settings;
        this.transactions = new PooledTransactions(toString(), pool, this);
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

    HikariDataSource dataSource() {
        return pool;
    }

    /** A connection outside the pool (LISTEN, an advisory lock), which the server ends with the process. */
    Connection ownConnection(String purpose) throws SQLException {
        Properties props = new Properties();
        props.setProperty("ApplicationName", "claude-signal-sessions " + purpose);
        props.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(jdbc, props);
    }

    @Override
    public <T> T write(Function<DSLContext, T> work) {
        return transactions.write(work);
    }

    @Override
    public <T> T read(Function<DSLContext, T> work) {
        return transactions.read(work);
    }

    @Override
    public DSLContext context(Connection connection) {
        return DSL.using(connection, SQLDialect.POSTGRES, JOOQ_SETTINGS);
    }

    @Override
    public boolean isRetryable(Throwable error) {
        return PostgresDialect.isRetryable(error);
    }

    /** From {@code txid_current_if_assigned()}: null until the transaction writes. */
    @Override
    public Optional<Long> transactionId(Connection connection) {
        try (var statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT txid_current_if_assigned()")) {
            rows.next();
            long xid = rows.getLong(1);
            return rows.wasNull() ? Optional.empty() : Optional.of(xid);
        } catch (SQLException e) {
            return Optional.empty(); // the COMMIT that follows fails the same way and is reported as it always was
        }
    }

    /** From the server's commit log ({@code txid_status}), which forgets transactions older than its horizon. */
    @Override
    public Outcome outcome(Connection connection, long xid) throws SQLException {
        try (var statement = connection.prepareStatement("SELECT txid_status(?)")) {
            statement.setLong(1, xid);
            try (var rows = statement.executeQuery()) {
                rows.next();
                String status = rows.getString(1);
                return status == null ? Outcome.FORGOTTEN : switch (status) {
                    case "committed" -> Outcome.COMMITTED;
                    case "in progress" -> Outcome.IN_PROGRESS;
                    default -> Outcome.ABORTED;
                };
            }
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
    @Override
    public void afterCommit(DSLContext ctx) {
        if (ctx.data(ANNOUNCE) == null || announcementDue.getAndSet(true)) {
            return;
        }
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

    StorageException closedError() {
        return transactions.closedError();
    }

    /**
     * Stops the announcer once it has announced the commits made so far (a CLI command that exits right
     * after its write is heard at once), waiting at most 2 s, then closes the pool it uses.
     */
    @Override
    public void close() {
        transactions.close();
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

    @Override
    public StorageException translate(String doing, Throwable error) {
        return PostgresDialect.translate(toString(), settings, doing, error);
    }
}
