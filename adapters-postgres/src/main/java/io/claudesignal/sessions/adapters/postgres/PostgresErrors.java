package io.claudesignal.sessions.adapters.postgres;

import io.claudesignal.sessions.adapters.jdbc.SqlErrors;
import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.domain.StorageException.Reason;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/** Turns what PostgreSQL (or the pool) reports into the library's typed storage errors, by SQLState. */
final class PostgresErrors {

    static final String UNIQUE_VIOLATION = "23505";
    static final String SERIALIZATION_FAILURE = "40001";
    static final String DEADLOCK_DETECTED = "40P01";

    private PostgresErrors() {
    }

    /** The first SQLState in the cause chain, or "" when there is none. */
    static String sqlState(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException e && e.getSQLState() != null) {
                return e.getSQLState();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return "";
    }

    static boolean isUniqueViolation(Throwable error) {
        return UNIQUE_VIOLATION.equals(sqlState(error));
    }

    /** The server rolled the transaction back and it may simply be run again. */
    static boolean isRetryable(Throwable error) {
        String state = sqlState(error);
        return SERIALIZATION_FAILURE.equals(state) || DEADLOCK_DETECTED.equals(state);
    }

    static StorageException translate(PostgresUrl url, String doing, Throwable error) {
        if (error instanceof StorageException storage) {
            return storage;
        }
        Reason reason = reasonFor(error);
        return new StorageException(reason, null, url + ": " + doing + " failed: " + describe(reason, error), error);
    }

    static Reason reasonFor(Throwable error) {
        String state = sqlState(error);
        if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
            return Reason.UNAVAILABLE; // connection exceptions; the server shutting down or starting up
        } else if (state.equals("55P03") || state.equals("57014") || state.equals(SERIALIZATION_FAILURE)
                || state.equals(DEADLOCK_DETECTED)) {
            return Reason.BUSY; // lock not available, statement timeout, contention that outlasted the retries
        } else if (state.equals("53100") || state.equals("54000")) {
            return Reason.FULL; // disk full, program limit exceeded
        } else if (state.startsWith("28") || state.equals("42501")) {
            return Reason.PERMISSION; // authentication failed, insufficient privilege
        } else if (state.equals("58030")) {
            return Reason.IO;
        } else if (state.startsWith("XX")) {
            return Reason.CORRUPT; // data or index corrupted
        }
        for (Throwable t = error; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) {
                return Reason.BUSY; // the pool had no connection free within the timeout
            }
        }
        return Reason.OTHER;
    }

    private static String describe(Reason reason, Throwable error) {
        return switch (reason) {
            case UNAVAILABLE -> "the database server cannot be reached (" + rootMessage(error) + ")";
            case BUSY -> "the database stayed busy past the timeout (" + rootMessage(error) + ")";
            case PERMISSION -> "access denied (" + rootMessage(error) + ")";
            default -> rootMessage(error);
        };
    }

    /** The root cause's first line, without a password a URL in it may carry. */
    static String rootMessage(Throwable error) {
        return PostgresUrl.redact(SqlErrors.rootMessage(error));
    }
}
