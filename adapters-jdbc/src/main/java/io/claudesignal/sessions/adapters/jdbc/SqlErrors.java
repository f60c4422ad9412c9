package io.claudesignal.sessions.adapters.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What the SQL adapters' error handling shares: the words of the error at the bottom of a chain, and
 * closing a connection whose failure to close loses nothing.
 */
public final class SqlErrors {

    private SqlErrors() {
    }

    /**
     * Closes {@code connection}, if any, ignoring a failure: the database drops what it held (a LISTEN,
     * a lock, an open transaction) with it. Returns null, to clear the field that held it.
     */
    public static Connection closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Nothing was held that the end of the connection does not release.
            }
        }
        return null;
    }

    /** The first line of the root cause's message, or its type when it has none. */
    public static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
    }
}
