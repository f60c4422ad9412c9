package io.claudesignal.sessions.adapters.jdbc;

import io.claudesignal.sessions.domain.StorageException.Reason;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Map;

/**
 * What the SQL adapters' error handling shares: the words of the error at the bottom of a chain, a
 * server's SQLState and its reason, and closing a connection whose failure to close loses nothing.
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

    /** The first SQLState in the cause chain, or "" when there is none. */
    public static String sqlState(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException e && e.getSQLState() != null) {
                return e.getSQLState();
            }
        }
        return "";
    }

    /**
     * The reason {@code reasons} gives {@code error}'s SQLState, else its class (the first two
     * characters); else BUSY when a pool had no connection free within its timeout; else OTHER.
     */
    public static Reason reasonFor(Map<String, Reason> reasons, Throwable error) {
        String state = sqlState(error);
        Reason reason = reasons.getOrDefault(state, state.length() < 2 ? null : reasons.get(state.substring(0, 2)));
        if (reason != null) {
            return reason;
        }
        for (Throwable t = error; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return Reason.BUSY;
            }
        }
        return Reason.OTHER;
    }
}
