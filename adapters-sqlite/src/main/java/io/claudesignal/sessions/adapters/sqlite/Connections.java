package io.claudesignal.sessions.adapters.sqlite;

import java.time.Duration;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteOpenMode;

/**
 * The kinds of connection a store opens, each with the settings it needs. Only SQLite opens the
 * database files: the store never reads or writes them from Java, because closing any descriptor of
 * a file drops every POSIX lock this process holds on it, SQLite's included.
 */
final class Connections {

    private final Path file;
    private final String url;
    private final SqliteSettings settings;

    Connections(Path file, SqliteSettings settings) {
        this.file = file;
        this.url = "jdbc:sqlite:" + file;
        this.settings = settings;
    }

    Path file() {
        return file;
    }

    Duration busyTimeout() {
        return settings.busyTimeout();
    }

    /**
     * The one connection that writes. Its transactions begin IMMEDIATE: a transaction that reads and
     * then writes under sqlite-jdbc's default DEFERRED fails with "database is locked" when another
     * process got the write lock in between, whatever the busy timeout, because SQLite cannot wait
     * for a lock upgrade without risking deadlock.
     */
    Connection writer() throws SQLException {
        SQLiteConfig config = durable();
        config.setPragma(SQLiteConfig.Pragma.WAL_AUTOCHECKPOINT, Integer.toString(settings.walAutocheckpoint()));
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        // Else sqlite-jdbc prepares and runs SELECT last_insert_rowid() after every INSERT (a change-log
        // row, a message...) for getGeneratedKeys(), which the store never calls (the outbox's enqueue
        // reads its new reply's number through the key's index, on a kept statement).
        config.setGetGeneratedKeys(false);
        return config.createConnection(url);
    }

    /** A connection that only reads; in WAL mode readers never wait for the writer. */
    Connection reader() throws SQLException {
        SQLiteConfig config = base();
        config.setReadOnly(true);
        config.enforceForeignKeys(true);
        return config.createConnection(url);
    }

    /**
     * A read-only connection that sets nothing, for looking at a file before deciding to trust it:
     * it cannot change a byte of a file that turns out not to be ours.
     */
    Connection inspector() throws SQLException {
        SQLiteConfig config = base();
        config.setReadOnly(true);
        return config.createConnection(url);
    }

    /**
     * Connections for Flyway. DEFERRED (sqlite-jdbc's default) on purpose: Flyway keeps its
     * connections in manual-commit mode between steps, and sqlite-jdbc begins the next transaction as
     * soon as one commits, so IMMEDIATE would make Flyway hold the write lock while idle.
     */
    DataSource migrations() {
        SQLiteDataSource dataSource = new SQLiteDataSource(durable());
        dataSource.setUrl(url);
        return dataSource;
    }

    /** The settings of every connection that writes: WAL, the configured durability, and privacy. */
    private SQLiteConfig durable() {
        SQLiteConfig config = base();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // By name: sqlite-jdbc's SynchronousMode has no EXTRA, which SQLite itself has.
        config.setPragma(SQLiteConfig.Pragma.SYNCHRONOUS, settings.synchronous().name());
        config.enforceForeignKeys(true);
        // Overwrite deleted content with zeros: a deleted session's private context must not linger.
        config.setPragma(SQLiteConfig.Pragma.SECURE_DELETE, "true");
        return config;
    }

    private SQLiteConfig base() {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout((int) settings.busyTimeout().toMillis());
        // Never let SQLite create the file: it would do so world-readable. The store creates it 0600.
        config.resetOpenMode(SQLiteOpenMode.CREATE);
        return config;
    }
}
