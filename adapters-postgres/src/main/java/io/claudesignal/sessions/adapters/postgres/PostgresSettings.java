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
 */
public record PostgresSettings(String schema, int maxPoolSize, Duration connectTimeout, boolean leaseTimeFromServer) {

    /** The schema of {@link #defaults()}. */
    public static final String DEFAULT_SCHEMA = "claude_signal";
    public static final int DEFAULT_MAX_POOL_SIZE = 10;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

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
    }

    /** Lease time from the server's clock. */
    public PostgresSettings(String schema, int maxPoolSize, Duration connectTimeout) {
        this(schema, maxPoolSize, connectTimeout, true);
    }

    public static PostgresSettings defaults() {
        return new PostgresSettings(DEFAULT_SCHEMA, DEFAULT_MAX_POOL_SIZE, DEFAULT_CONNECT_TIMEOUT);
    }

    /** Lease time from each handle's own {@code Clock}: for tests that move time by hand. */
    public PostgresSettings withLeaseTimeFromCaller() {
        return new PostgresSettings(schema, maxPoolSize, connectTimeout, false);
    }

    public PostgresSettings withSchema(String name) {
        return new PostgresSettings(name, maxPoolSize, connectTimeout, leaseTimeFromServer);
    }

    public PostgresSettings withMaxPoolSize(int size) {
        return new PostgresSettings(schema, size, connectTimeout, leaseTimeFromServer);
    }

    public PostgresSettings withConnectTimeout(Duration timeout) {
        return new PostgresSettings(schema, maxPoolSize, timeout, leaseTimeFromServer);
    }
}
