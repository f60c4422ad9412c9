package io.claudesignal.sessions.adapters.postgres;

import io.claudesignal.sessions.adapters.jdbc.SqlDialect;
import io.claudesignal.sessions.adapters.jdbc.SqlTables;
import io.claudesignal.sessions.adapters.jdbc.TextSearch;
import io.claudesignal.sessions.adapters.jdbc.WriteLocks;
import io.claudesignal.sessions.adapters.postgres.jooq.DefaultSchema;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.domain.StorageException.Reason;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record2;
import org.jooq.Schema;
import org.jooq.Field;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * PostgreSQL for the shared SQL core: native {@code uuid} and {@code timestamptz}, row locks (several
 * processes and hosts write at once under READ COMMITTED), lease time and the change log's horizon from
 * the server, followers told after each commit, and a recovery that skips the rows others hold.
 */
final class PostgresDialect implements SqlDialect {

    /** Lease time from the server's clock: the default ({@link PostgresSettings#leaseTimeFromServer()}). */
    static final PostgresDialect INSTANCE = new PostgresDialect(true);
    /** Lease time from each handle's own clock, for tests that move time by hand. */
    private static final PostgresDialect CALLER_TIME = new PostgresDialect(false);

    /** Only to stamp recovered contexts: it keeps their text as it is (order of keys, numbers). */
    private static final ContextJson CONTEXT_JSON = new ContextJson();

    private final boolean leaseTimeFromServer;
    private final TextSearch search = new PostgresTextSearch(DefaultSchema.DEFAULT_SCHEMA);

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

    /** Generated from the migrations by DDLDatabase, unqualified: the schema is chosen at run time. */
    @Override
    public Schema schema() {
        return DefaultSchema.DEFAULT_SCHEMA;
    }

    @Override
    public TextSearch textSearch() {
        return search;
    }

    @Override
    public WriteLocks writeLocks() {
        return WriteLocks.ROWS;
    }

    /**
     * Takes the abandoned sessions' locks with {@code SKIP LOCKED}, so two recoveries never wait for each
     * other and never recover a session twice, and checks them again once it holds them, by a new
     * statement that sees every change committed before it (every change to a session or its lease is
     * made under the session's lock). Each context is stamped here, keeping its text as it is.
     */
    @Override
    public List<UUID> pauseAbandoned(DSLContext ctx, SqlTables.Sessions s, Condition abandoned, Instant at) {
        List<UUID> locked = ctx.select(s.id).from(s.table).where(abandoned).orderBy(s.id)
                .forUpdate().skipLocked()
                .fetch(s.id);
        if (locked.isEmpty()) {
            return List.of();
        }
        List<UUID> paused = new ArrayList<>();
        for (Record2<UUID, String> row : ctx.select(s.id, s.context).from(s.table)
                .where(s.id.in(locked).and(abandoned)).orderBy(s.id).fetch()) {
            s.pause(ctx, at, DSL.val(CONTEXT_JSON.withField(row.value2(), Session.RECOVERED_AT, at.toString()),
                    s.context)).where(s.id.eq(row.value1())).execute();
            paused.add(row.value1());
        }
        return paused;
    }

    /** Tells the followers after the commit ({@link CommitAnnouncer}). */
    @Override
    public void announce(DSLContext ctx) {
        PostgresDatabase.announceAfterCommit(ctx);
    }

    /** READ COMMITTED gives each statement its own snapshot; an archive's statements must share one. */
    @Override
    public void beginSnapshot(DSLContext tx) {
        tx.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    }

    /** A server is backed up with its own tools. */
    static void refuseBackup(Path target) {
        throw new StorageException(Reason.UNSUPPORTED, null, "a PostgreSQL store is backed up with the server's own "
                + "tools (pg_dump, or pg_basebackup for the whole cluster), not by this program");
    }

    /** Transactions older than the oldest one still running, as the reading statement's snapshot sees them. */
    private static final Field<Long> HORIZON =
            DSL.field("pg_snapshot_xmin(pg_current_snapshot())::text::bigint", SQLDataType.BIGINT);

    @Override
    public Optional<Field<Long>> changeHorizon() {
        return Optional.of(HORIZON);
    }
}
