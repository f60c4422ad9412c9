package io.claudesignal.sessions.adapters.sqlite;

import io.claudesignal.sessions.adapters.jdbc.SqlDialect;
import java.time.Instant;
import java.util.UUID;
import org.jooq.DataType;
import org.jooq.impl.SQLDataType;

/**
 * SQLite for the shared SQL core: ids and instants stored as text (the converters the generated code
 * uses too), and no row locks: every write runs in the writer's IMMEDIATE transaction, which already
 * excludes every other writer of the file.
 */
final class SqliteDialect implements SqlDialect {

    static final SqliteDialect INSTANCE = new SqliteDialect();

    private static final DataType<UUID> UUID_TEXT = SQLDataType.VARCHAR.asConvertedDataType(new UuidTextConverter());
    private static final DataType<Instant> INSTANT_TEXT =
            SQLDataType.VARCHAR.asConvertedDataType(new InstantTextConverter());

    private SqliteDialect() {
    }

    @Override
    public DataType<UUID> uuidType() {
        return UUID_TEXT;
    }

    @Override
    public DataType<Instant> instantType() {
        return INSTANT_TEXT;
    }

    @Override
    public boolean locksRows() {
        return false;
    }

    @Override
    public boolean isUniqueViolation(Throwable error) {
        return SqliteErrors.isConstraint(error);
    }
}
