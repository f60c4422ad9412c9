package io.claudesignal.sessions.adapters.postgres;

import io.claudesignal.sessions.domain.InvalidInputException;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a store uses its PostgreSQL database.
 *
 * @param schema         the schema that holds the tables (created if missing); several stores (or test
 *                       runs) can share one database, each in its own schema
 * @param maxPoolSize    the most connections this store holds open at once
 * @param connectTimeout how long to wait for a connection (to the server, or from a busy pool)
 * @param leaseTimeFromServer true (the default): lease expiry is decided with the server's clock
 *                       ({@code clock_timestamp()}, read inside the transaction that claims, renews,
 *                       fences or recovers), so a client whose clock is skewed never takes a live
 *                       lease; false: with the {@code Clock} the handle was given, for tests that drive
 *                       lease time themselves (never in production: every client must then agree)
 * @param lockTimeout    the server's {@code lock_timeout} on every connection of the store: the longest
 *                       one statement waits for a lock (another transaction's row lock) before the write
 *                       fails with {@code StorageException(BUSY)}, rolled back
 * @param statementTimeout the server's {@code statement_timeout}: the longest one statement runs
 * @param idleInTransactionTimeout the server's {@code idle_in_transaction_session_timeout}: a connection
 *                       of the store left idle inside a transaction this long (its process stopped,
 *                       paused or cut off) is ended by the server, which rolls its transaction back and
 *                       so releases the locks it held
 */
public record PostgresSettings(String schema, int maxPoolSize, Duration connectTimeout, boolean leaseTimeFromServer,
        Duration lockTimeout, Duration statementTimeout, Duration idleInTransactionTimeout) {

    public static final String DEFAULT_SCHEMA = "claude_signal";
    public static final int DEFAULT_MAX_POOL_SIZE = 10;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /**
     * A row lock of this store is held for one short transaction (milliseconds), so a wait of 5 s means
     * a stalled peer. Under half the default heartbeat interval: a renewal stuck behind one fails and
     * the next beat comes before the default lease (30 s) runs out (docs/postgres.md).
     */
    public static final Duration DEFAULT_LOCK_TIMEOUT = Duration.ofSeconds(5);
    /** Every statement of the store touches one session, one page or one batch: 30 s is a runaway. */
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(30);
    /**
     * The store never leaves a transaction idle longer than its JVM needs between two statements; a
     * stalled peer's locks are released after this, well within the default lease (30 s) less the
     * heartbeat interval (10 s), so other daemons' renewals waiting on it succeed before leases expire.
     */
    public static final Duration DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT = Duration.ofSeconds(15);

    /** The shortest and longest of the three server timeouts: zero would mean "wait for ever" to the server. */
    public static final Duration MIN_SERVER_TIMEOUT = Duration.ofMillis(100);
    public static final Duration MAX_SERVER_TIMEOUT = Duration.ofHours(24);

    // Lower case, unquoted-identifier form, at most PostgreSQL's 63 bytes: no quoting questions anywhere.
    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    public PostgresSettings {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (!SCHEMA_NAME.matcher(schema).matches() || schema.startsWith("pg_")) {
            throw new InvalidInputException("schema", "must be a lower-case identifier ([a-z_][a-z0-9_]*, at most 63"
                    + " characters, not pg_*), was " + schema);
        }
        if (maxPoolSize < 1 || maxPoolSize > 1000) {
            throw new InvalidInputException("maxPoolSize", "must be 1 to 1000, was " + maxPoolSize);
        }
        if (connectTimeout.toMillis() < 250) {
            throw new InvalidInputException("connectTimeout", "must be at least 250 ms, was " + connectTimeout);
        }
        requireServerTimeout("lockTimeout", lockTimeout);
        requireServerTimeout("statementTimeout", statementTimeout);
        requireServerTimeout("idleInTransactionTimeout", idleInTransactionTimeout);
    }

    private static void requireServerTimeout(String field, Duration timeout) {
        Objects.requireNonNull(timeout, field);
        if (timeout.compareTo(MIN_SERVER_TIMEOUT) < 0 || timeout.compareTo(MAX_SERVER_TIMEOUT) > 0) {
            throw new InvalidInputException(field, "must be 100 ms to 24 h, was " + timeout);
        }
    }

    /** With the default server timeouts. */
    public PostgresSettings(String schema, int maxPoolSize, Duration connectTimeout, boolean leaseTimeFromServer) {
        this(schema, maxPoolSize, connectTimeout, leaseTimeFromServer, DEFAULT_LOCK_TIMEOUT, DEFAULT_STATEMENT_TIMEOUT,
                DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT);
    }

    /** Lease time from the server's clock, the default server timeouts. */
    public PostgresSettings(String schema, int maxPoolSize, Duration connectTimeout) {
        this(schema, maxPoolSize, connectTimeout, true);
    }

    public static PostgresSettings defaults() {
        return new PostgresSettings(DEFAULT_SCHEMA, DEFAULT_MAX_POOL_SIZE, DEFAULT_CONNECT_TIMEOUT);
    }

    /** Lease time from each handle's own {@code Clock} (see {@code leaseTimeFromServer}). */
    public PostgresSettings withLeaseTimeFromCaller() {
        return new PostgresSettings(schema, maxPoolSize, connectTimeout, false, lockTimeout, statementTimeout,
                idleInTransactionTimeout);
    }

    public PostgresSettings withSchema(String name) {
        return new PostgresSettings(name, maxPoolSize, connectTimeout, leaseTimeFromServer, lockTimeout,
                statementTimeout, idleInTransactionTimeout);
    }

    public PostgresSettings withMaxPoolSize(int size) {
        return new PostgresSettings(schema, size, connectTimeout, leaseTimeFromServer, lockTimeout, statementTimeout,
                idleInTransactionTimeout);
    }

    public PostgresSettings withConnectTimeout(Duration timeout) {
        return new PostgresSettings(schema, maxPoolSize, timeout, leaseTimeFromServer, lockTimeout, statementTimeout,
                idleInTransactionTimeout);
    }

    public PostgresSettings withLockTimeout(Duration timeout) {
        return new PostgresSettings(schema, maxPoolSize, connectTimeout, leaseTimeFromServer, timeout,
                statementTimeout, idleInTransactionTimeout);
    }

    public PostgresSettings withStatementTimeout(Duration timeout) {
        return new PostgresSettings(schema, maxPoolSize, connectTimeout, leaseTimeFromServer, lockTimeout, timeout,
                idleInTransactionTimeout);
    }

    public PostgresSettings withIdleInTransactionTimeout(Duration timeout) {
        return new PostgresSettings(schema, maxPoolSize, connectTimeout, leaseTimeFromServer, lockTimeout,
                statementTimeout, timeout);
    }
}
