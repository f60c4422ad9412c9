package io.claudesignal.sessions.adapters.postgres;

import io.claudesignal.sessions.adapters.jdbc.SqlDialect;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * PostgreSQL for the shared SQL core: native {@code uuid} and {@code timestamptz}, and row locks,
 * because several processes and hosts write at once under READ COMMITTED.
 */
final class PostgresDialect implements SqlDialect {

    /** Lease time from the server's clock: the default ({@link PostgresSettings#leaseTimeFromServer()}). */
    static final PostgresDialect INSTANCE = new PostgresDialect(true);
    /** Lease time from each handle's own clock, for tests that move time by hand. */
    private static final PostgresDialect CALLER_TIME = new PostgresDialect(false);

    private final boolean leaseTimeFromServer;

    private PostgresDialect(boolean leaseTimeFromServer) {
        this.leaseTimeFromServer = leaseTimeFromServer;
    }

    static PostgresDialect of(PostgresDatabase db) {
        return db.leaseTimeFromServer() ? INSTANCE : CALLER_TIME;
    }

    /**
     * {@code clock_timestamp()}: the moment of the call, not the start of the transaction, which may
     * have waited for a lock; to the microsecond PostgreSQL keeps.
     */
    @Override
    public Optional<Instant> leaseClock(DSLContext ctx) {
        if (!leaseTimeFromServer) {
            return Optional.empty();
        }
        return Optional.of(ctx.select(DSL.field("clock_timestamp()", SQLDataType.TIMESTAMPWITHTIMEZONE))
                .fetchSingle().value1().toInstant());
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

    /** Transactions older than the oldest one still running, as the reading statement's snapshot sees them. */
    private static final Field<Long> HORIZON =
            DSL.field("pg_snapshot_xmin(pg_current_snapshot())::text::bigint", SQLDataType.BIGINT);

    @Override
    public Optional<Field<Long>> changeHorizon() {
        return Optional.of(HORIZON);
    }

    @Override
    public boolean isUniqueViolation(Throwable error) {
        return PostgresErrors.isUniqueViolation(error);
    }
}
