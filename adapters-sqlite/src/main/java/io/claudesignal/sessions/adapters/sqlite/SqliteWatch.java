package io.claudesignal.sessions.adapters.sqlite;

import io.claudesignal.sessions.adapters.jdbc.SqlErrors;
import io.claudesignal.sessions.application.port.out.ChangeFeed;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The change log's follower on a SQLite file; the log's rows need no transaction number, as SQLite has
 * one writer at a time. Waiting for others' commits asks SQLite's {@code PRAGMA data_version} on a
 * read-only connection of its own every {@link #CHECK_EVERY}: a counter in shared memory, no table is
 * read, so an idle store costs next to nothing.
 */
final class SqliteWatch implements ChangeFeed.Watch {

    /** How often the waiting feed looks whether another connection committed: the bound on the delay. */
    static final Duration CHECK_EVERY = Duration.ofMillis(100);

    private final SqliteDatabase file;
    private final Connections connections;
    private Connection connection;
    private PreparedStatement dataVersion; // prepared once: the check runs ten times a second
    private long seen = -1;

    SqliteWatch(SqliteDatabase file, Connections connections) {
        this.file = file;
        this.connections = connections;
    }

    @Override
    public void await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long version = dataVersion();
            // The first look has nothing to compare with: say "maybe", and the caller reads.
            boolean changed = seen < 0 || version != seen;
            seen = version;
            long left = deadline - System.nanoTime();
            if (changed || left <= 0) {
                return;
            }
            Thread.sleep(Math.min(CHECK_EVERY.toMillis(), Math.max(1, left / 1_000_000)));
        }
    }

    /** How many commits other connections made to the file, as this connection counts them. */
    private long dataVersion() {
        try {
            if (connection == null) {
                connection = connections.reader();
                dataVersion = connection.prepareStatement("PRAGMA data_version");
            }
            try (ResultSet r = dataVersion.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        } catch (SQLException e) {
            close(); // the next wait opens a fresh one
            throw SqliteErrors.translate(file.file(), "watching for changes", e);
        }
    }

    @Override
    public void close() {
        connection = SqlErrors.closeQuietly(connection); // a read-only connection: nothing to lose
    }
}
