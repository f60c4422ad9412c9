package io.claudesignal.sessions.adapters.postgres;

import io.claudesignal.sessions.adapters.jdbc.SqlChangeLog;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.jooq.DSLContext;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The change log on a PostgreSQL schema ({@link SqlChangeLog}): writers take no lock on it, the server
 * numbers each row with its transaction and a sequence. A write that grew the log is announced after
 * its commit ({@link CommitAnnouncer}). A follower waits with {@code LISTEN} on a connection of its
 * own, outside the pool; a lost notification or connection costs at most the follower's safety-net
 * delay, as the log is read by position, not by notification.
 */
final class PostgresChangeLog extends SqlChangeLog {

    private final PostgresDatabase server;
    private final String schema;

    PostgresChangeLog(PostgresDatabase db, String schema) {
        super(db, PostgresDialect.of(db));
        this.server = db;
        this.schema = schema;
    }

    @Override
    protected void announce(DSLContext ctx) {
        PostgresDatabase.announceAfterCommit(ctx);
    }

    @Override
    public Watch watch() {
        return new ListenWatch();
    }

    /** Waits for a notification of this schema on a LISTEN connection of its own. */
    private final class ListenWatch implements Watch {

        private Connection connection;

        @Override
        public void await(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            try {
                boolean fresh = connection == null;
                if (fresh) {
                    connection = DriverManager.getConnection(server.url().jdbc());
                    try (Statement s = connection.createStatement()) {
                        s.execute("LISTEN " + CommitAnnouncer.CHANNEL);
                    }
                    return; // notifications sent before the LISTEN are lost: the caller reads first
                }
                PGConnection listening = connection.unwrap(PGConnection.class);
                long left;
                while ((left = deadline - System.nanoTime()) > 0) {
                    PGNotification[] got = listening.getNotifications((int) Math.max(1, left / 1_000_000));
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                    if (got != null) {
                        for (PGNotification n : got) {
                            if (schema.equals(n.getParameter())) {
                                return;
                            }
                        }
                    }
                }
            } catch (SQLException e) {
                close(); // the next wait connects afresh
                throw PostgresErrors.translate(server.url(), "listening for changes", e);
            }
        }

        @Override
        public void close() {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // The server drops the LISTEN with the session.
                }
                connection = null;
            }
        }
    }
}
