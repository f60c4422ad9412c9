package io.claudesignal.sessions.adapters.postgres;

import io.claudesignal.sessions.adapters.jdbc.SqlDialect;
import java.time.Instant;
import java.util.UUID;
import org.jooq.DataType;
import org.jooq.impl.SQLDataType;

/**
 * PostgreSQL for the shared SQL core: native {@code uuid} and {@code timestamptz}, and row locks,
 * because several processes and hosts write at once under READ COMMITTED.
 */
final class PostgresDialect implements SqlDialect {

    static final PostgresDialect INSTANCE = new PostgresDialect();

    private PostgresDialect() {
    }

    @Override
    public DataType<UUID> uuidType() {
        return SQLDataType.UUID;
    }

    @Override
    public DataType<Instant> instantType() {
        return SQLDataType.INSTANT;
    }

    @Override
    public boolean locksRows() {
        return true;
    }

    @Override
    public boolean isUniqueViolation(Throwable error) {
        return PostgresErrors.isUniqueViolation(error);
    }
}
