package io.claudesignal.sessions.adapters.sqlite;

import io.claudesignal.sessions.adapters.jdbc.SqlDialect;
import io.claudesignal.sessions.adapters.jdbc.SqlTables;
import io.claudesignal.sessions.adapters.jdbc.TextSearch;
import io.claudesignal.sessions.adapters.jdbc.WriteLocks;
import io.claudesignal.sessions.adapters.sqlite.jooq.DefaultSchema;
import io.claudesignal.sessions.domain.Session;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Schema;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * SQLite for the shared SQL core: its generated schema (ids and instants stored as text through
 * {@link UuidTextConverter} and {@link InstantTextConverter}), and no row locks: every write runs in the writer's IMMEDIATE transaction, which already
 * excludes every other writer of the file.
 */
final class SqliteDialect implements SqlDialect {

    private static final Optional<Field<Long>> LAST_INSERT_ROWID =
            Optional.of(DSL.function("last_insert_rowid", SQLDataType.BIGINT));
    static final SqliteDialect INSTANCE = new SqliteDialect();

    private final TextSearch search = new SqliteTextSearch(DefaultSchema.DEFAULT_SCHEMA);

    private SqliteDialect() {
    }

    /** Generated from the migrations, run by Flyway into a file at build time; ids and instants as text. */
    @Override
    public Schema schema() {
        return DefaultSchema.DEFAULT_SCHEMA;
    }

    @Override
    public TextSearch textSearch() {
        return search;
    }

    /** jOOQ renders no INSERT ... RETURNING for SQLite; the connection's own last rowid is the cheapest read. */
    @Override
    public Optional<Field<Long>> lastInsertedRowId() {
        return LAST_INSERT_ROWID;
    }

    @Override
    public WriteLocks writeLocks() {
        return WriteLocks.DATABASE;
    }

    /**
     * One UPDATE whose WHERE is the abandoned condition itself: evaluated once, on the sessions' rows (a
     * lease is looked up by its primary key), each context stamped by {@code json_set}; nothing to skip
     * under the single writer. (Before, an INSERT … SELECT and the UPDATE each evaluated a join of both
     * tables: measured, the SQL alone about 3 times a bare UPDATE of the same rows.)
     */
    @Override
    public List<UUID> pauseAbandoned(DSLContext ctx, SqlTables.Sessions s, Condition abandoned, Instant at) {
        return s.pause(ctx, at, DSL.function("json_set", String.class, s.context,
                        DSL.inline("$." + Session.RECOVERED_AT), DSL.val(at.truncatedTo(ChronoUnit.MICROS).toString())))
                .where(abandoned)
                .returning(s.id)
                .fetch(s.id);
    }
}
