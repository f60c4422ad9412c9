package io.claudesignal.sessions.adapters.postgres;

import io.claudesignal.sessions.adapters.jdbc.SqlErrors;
import io.claudesignal.sessions.application.port.out.ChangeFeed;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The change log's follower on a PostgreSQL schema: a write that grew the log is announced after its
 * commit ({@link PostgresDatabase#announceAfterCommit}); a follower waits with {@code LISTEN} on a
 * connection of its own for a notification of its schema. A lost notification or connection costs at
 * most the follower's safety-net delay, as the log is read by position, not by notification.
 */
final class PostgresWatch implements ChangeFeed.Watch {

    private final PostgresDatabase server;
    private Connection connection;

    PostgresWatch(PostgresDatabase server) {
        this.server = server;
    }

    @Override
    public void await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (connection == null) {
                connection = server.ownConnection("listen");
                try (Statement s = connection.createStatement()) {
                    s.execute("LISTEN " + PostgresDatabase.CHANNEL);
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
                for (PGNotification n : got == null ? new PGNotification[0] : got) {
                    if (server.settings().schema().equals(n.getParameter())) {
                        return;
                    }
                }
            }
        } catch (SQLException e) {
            close(); // the next wait connects afresh
            throw server.translate("listening for changes", e);
        }
    }

    @Override
    public void close() {
        connection = SqlErrors.closeQuietly(connection); // the server drops the LISTEN with the session
    }
}
