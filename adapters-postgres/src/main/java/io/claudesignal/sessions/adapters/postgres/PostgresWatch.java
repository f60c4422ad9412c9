package io.claudesignal.sessions.adapters.postgres;

import io.claudesignal.sessions.adapters.jdbc.SqlErrors;
import io.claudesignal.sessions.application.port.out.ChangeFeed;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The change log's follower on a PostgreSQL schema: writers take no lock on the log, the server numbers
 * each row with its transaction and a sequence, and a write that grew it is announced after its commit
 * ({@link CommitAnnouncer}). A follower waits with {@code LISTEN} on a connection of its own, outside
 * the pool, for a notification of its schema; a lost notification or connection costs at most the
 * follower's safety-net delay, as the log is read by position, not by notification.
 */
final class PostgresWatch implements ChangeFeed.Watch {

    private final PostgresDatabase server;
    private final String schema;
    private Connection connection;

    PostgresWatch(PostgresDatabase server, String schema) {
        this.server = server;
        this.schema = schema;
    }

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
        connection = SqlErrors.closeQuietly(connection); // the server drops the LISTEN with the session
    }
}
