package io.claudesignal.sessions.adapters.sqlite;

import io.claudesignal.sessions.adapters.jdbc.SqlErrors;
import java.sql.Connection;
import java.sql.SQLException;
import org.jooq.DSLContext;

/**
 * The {@link GroupCommitWriter}'s one connection, opened on first use and discarded whole when it
 * becomes suspect (a failed write, savepoint or commit): closing it rolls back whatever it had open,
 * and the next use opens a fresh one. It carries what belongs to that connection: its kept
 * statements (through its context), its savepoints and its busy handler.
 *
 * <p>Not thread-safe: the writer thread alone uses it once it runs (and the store's close after
 * that thread has ended).
 */
final class WriterConnection {

    private final Connections connections;
    private final BusyWaits busyWaits;
    private Connection connection;
    private DSLContext context;
    private Savepoints savepoints;

    WriterConnection(Connections connections, BusyWaits busyWaits) {
        this.connections = connections;
        this.busyWaits = busyWaits;
    }

    /** The open connection's context, opening the connection first when there is none. */
    DSLContext context() {
        if (connection == null) {
            try {
                Connection opened = connections.writer();
                try {
                    busyWaits.install(opened);
                    savepoints = new Savepoints(opened);
                } catch (SQLException e) {
                    SqlErrors.closeQuietly(opened);
                    throw e;
                }
                connection = opened;
                context = SqliteDatabase.cachingContext(opened);
            } catch (SQLException e) {
                throw SqliteErrors.translate(connections.file(), "opening the database for writing", e);
            }
        }
        return context;
    }

    /** The open connection; call {@link #context()} first. */
    Connection connection() {
        return connection;
    }

    /** The open connection's savepoints; call {@link #context()} first. */
    Savepoints savepoints() {
        return savepoints;
    }

    /** Closes the connection (rolling back what it had open, finalising its kept statements), if open. */
    void discard() {
        Connection broken = connection;
        DSLContext brokenContext = context;
        connection = null;
        context = null;
        savepoints = null;
        SqlErrors.closeQuietly(brokenContext == null ? broken : SqliteDatabase.connectionOf(brokenContext));
    }
}
