package io.claudesignal.sessions.adapters.postgres;

import io.claudesignal.sessions.adapters.jdbc.SessionLockException;
import io.claudesignal.sessions.adapters.jdbc.SqlErrors;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.domain.StorageException.Reason;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Optional;

/** Turns what PostgreSQL (or the pool) reports into the library's typed storage errors, by SQLState. */
final class PostgresErrors {

    static final String SERIALIZATION_FAILURE = "40001";
    static final String DEADLOCK_DETECTED = "40P01";
    /** {@code lock_timeout} ran out (also {@code NOWAIT}). */
    static final String LOCK_NOT_AVAILABLE = "55P03";
    /** {@code statement_timeout} ran out, or the statement was cancelled by hand. */
    static final String QUERY_CANCELED = "57014";
    /** {@code idle_in_transaction_session_timeout} ran out: the server ended the connection. */
    static final String IDLE_IN_TRANSACTION_TIMEOUT = "25P03";

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

    /** The server rolled the transaction back and it may simply be run again. */
    static boolean isRetryable(Throwable error) {
        String state = sqlState(error);
        return SERIALIZATION_FAILURE.equals(state) || DEADLOCK_DETECTED.equals(state);
    }

    static StorageException translate(PostgresUrl url, String doing, Throwable error) {
        return translate(url, null, doing, error);
    }

    /**
     * @param settings the store's, whose timeouts a wait that ran out is told with; null when unknown
     */
    static StorageException translate(PostgresUrl url, PostgresSettings settings, String doing, Throwable error) {
        if (error instanceof StorageException storage) {
            return storage;
        }
        Reason reason = reasonFor(error);
        String what = reason == Reason.BUSY ? describeWait(settings, error) : describe(reason, error);
        return new StorageException(reason, null, url + ": " + doing + " failed: " + what, error);
    }

    static Reason reasonFor(Throwable error) {
        String state = sqlState(error);
        if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
            return Reason.UNAVAILABLE; // connection exceptions; the server shutting down or starting up
        } else if (state.equals(LOCK_NOT_AVAILABLE) || state.equals(QUERY_CANCELED)
                || state.equals(IDLE_IN_TRANSACTION_TIMEOUT) || state.equals(SERIALIZATION_FAILURE)
                || state.equals(DEADLOCK_DETECTED)) {
            return Reason.BUSY; // a server timeout ran out, or contention outlasted the retries
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

    /**
     * Which wait ran out, and for how long it was allowed, in words a person at the CLI can act on;
     * every one of them rolled the transaction back.
     */
    private static String describeWait(PostgresSettings settings, Throwable error) {
        String state = sqlState(error);
        String server = " (" + rootMessage(error) + ")";
        if (state.equals(LOCK_NOT_AVAILABLE)) {
            String on = lockedSession(error).map(id -> " on session " + id).orElse("");
            return "waited " + longerThan(settings == null ? null : settings.lockTimeout()) + " for a lock" + on
                    + " held by another connection (lock_timeout); nothing was changed" + server;
        } else if (state.equals(QUERY_CANCELED) && rootMessage(error).contains("statement timeout")) {
            return "a statement ran " + longerThan(settings == null ? null : settings.statementTimeout())
                    + " (statement_timeout); nothing was changed" + server;
        } else if (state.equals(IDLE_IN_TRANSACTION_TIMEOUT)) {
            return "the transaction was idle " + longerThan(settings == null ? null : settings.idleInTransactionTimeout())
                    + " (idle_in_transaction_session_timeout) and the server ended its connection; nothing was changed"
                    + server;
        }
        return describe(Reason.BUSY, error);
    }

    private static String longerThan(Duration timeout) {
        if (timeout == null) {
            return "past its timeout";
        }
        long millis = timeout.toMillis();
        return "more than " + (millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms");
    }

    /** The session whose row lock was waited for, when the lock was one session's. */
    private static Optional<SessionId> lockedSession(Throwable error) {
        for (Throwable t = error; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof SessionLockException locking) {
                return Optional.of(locking.sessionId());
            }
        }
        return Optional.empty();
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
