package io.claudesignal.sessions.adapters.postgres;

import static io.claudesignal.sessions.domain.StorageException.Reason.BUSY;

import io.claudesignal.sessions.adapters.jdbc.SessionLockException;
import io.claudesignal.sessions.adapters.jdbc.SqlDialect;
import io.claudesignal.sessions.adapters.jdbc.SqlErrors;
import io.claudesignal.sessions.adapters.jdbc.SqlTables;
import io.claudesignal.sessions.adapters.jdbc.TextSearch;
import io.claudesignal.sessions.adapters.jdbc.WriteLocks;
import io.claudesignal.sessions.adapters.postgres.jooq.DefaultSchema;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.port.out.StorageFactory;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.domain.StorageException.Reason;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record2;
import org.jooq.Schema;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * PostgreSQL for the shared SQL core: native {@code uuid} and {@code timestamptz}, row locks (several
 * processes and hosts write at once under READ COMMITTED), lease time and the change log's horizon from
 * the server, followers told after each commit, a recovery that skips the rows others hold, and full-text
 * search; and what the server reports, by SQLState, as the library's typed errors ({@link #translate}).
 */
final class PostgresDialect implements SqlDialect, TextSearch {

    /** Only to stamp recovered contexts: it keeps their text as it is (order of keys, numbers). */
    private static final ContextJson CONTEXT_JSON = new ContextJson();
    /** Transactions older than the oldest one still running, as the reading statement's snapshot sees them. */
    private static final Field<Long> HORIZON =
            DSL.field("pg_snapshot_xmin(pg_current_snapshot())::text::bigint", SQLDataType.BIGINT);
    private static final Field<Object> WORDS = DSL.field(DSL.name("transcript_items", "search_words"));
    private static final Field<Long> POSITION = DSL.field(DSL.name("transcript_items", "position"), Long.class);

    private static final String SERIALIZATION_FAILURE = "40001";
    private static final String DEADLOCK_DETECTED = "40P01";
    private static final String LOCK_NOT_AVAILABLE = "55P03"; // lock_timeout ran out
    private static final String QUERY_CANCELED = "57014"; // statement_timeout ran out, or a cancel
    private static final String IDLE_IN_TRANSACTION_TIMEOUT = "25P03"; // the server ended the connection
    /** Reasons by SQLState, then by its class (the first two characters). */
    private static final Map<String, Reason> REASONS = Map.ofEntries(
            Map.entry("08", Reason.UNAVAILABLE), // connection exceptions
            Map.entry("57P01", Reason.UNAVAILABLE), Map.entry("57P02", Reason.UNAVAILABLE), // shutting down
            Map.entry("57P03", Reason.UNAVAILABLE), // starting up
            Map.entry(LOCK_NOT_AVAILABLE, BUSY), Map.entry(QUERY_CANCELED, BUSY),
            Map.entry(IDLE_IN_TRANSACTION_TIMEOUT, BUSY), Map.entry(SERIALIZATION_FAILURE, BUSY),
            Map.entry(DEADLOCK_DETECTED, BUSY), // contention that outlasted the retries
            Map.entry("53100", Reason.FULL), Map.entry("54000", Reason.FULL), // disk full, a program limit
            Map.entry("28", Reason.PERMISSION), Map.entry("42501", Reason.PERMISSION),
            Map.entry("58030", Reason.IO), Map.entry("XX", Reason.CORRUPT));

    private final boolean leaseTimeFromServer;

    PostgresDialect(PostgresSettings settings) {
        this.leaseTimeFromServer = settings.leaseTimeFromServer();
    }

    /** Generated from the migrations by DDLDatabase, unqualified: the schema is chosen at run time. */
    @Override
    public Schema schema() {
        return DefaultSchema.DEFAULT_SCHEMA;
    }

    /**
     * Itself: search through the generated {@code tsvector} column {@code transcript_items.search_words}
     * and its GIN index (migration V9); the position is the item's own column, from a sequence. Both are
     * addressed by name: the shared tables have no position, and the build's DDL parser has no text search.
     */
    @Override
    public TextSearch textSearch() {
        return this;
    }

    @Override
    public Table<?> items(SqlTables tables) {
        return tables.transcriptItems.table;
    }

    @Override
    public Field<Long> position(SqlTables tables) {
        return POSITION;
    }

    /**
     * The words as one bound value through {@code plainto_tsquery}, which reads no operators: every
     * word must be there. They are letters and digits only, as the indexed text (see the migration).
     */
    @Override
    public Condition holdsAll(SqlTables tables, List<String> words) {
        return DSL.condition("{0} @@ plainto_tsquery('simple'::regconfig, {1})", WORDS, DSL.val(String.join(" ", words)));
    }

    @Override
    public WriteLocks writeLocks() {
        return WriteLocks.ROWS;
    }

    /** {@code clock_timestamp()}: the moment of the call, not the start of the transaction, which may have waited. */
    @Override
    public Optional<Instant> leaseClock(DSLContext ctx) {
        return !leaseTimeFromServer ? Optional.empty() : Optional.of(ctx.select(DSL.field("clock_timestamp()",
                SQLDataType.TIMESTAMPWITHTIMEZONE)).fetchSingle().value1().toInstant());
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

    @Override
    public void announce(DSLContext ctx) {
        PostgresDatabase.announceAfterCommit(ctx);
    }

    /** READ COMMITTED gives each statement its own snapshot; an archive's statements must share one. */
    @Override
    public void beginSnapshot(DSLContext tx) {
        tx.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    }

    @Override
    public Optional<Field<Long>> changeHorizon() {
        return Optional.of(HORIZON);
    }

    /** A server is backed up with its own tools. */
    static void refuseBackup(Path target) {
        throw new StorageException(Reason.UNSUPPORTED, null, "a PostgreSQL store is backed up with the server's own "
                + "tools (pg_dump, or pg_basebackup for the whole cluster), not by this program");
    }

    /** {@code error}, met {@code doing} something on {@code where}, as a typed error a person can act on. */
    static StorageException translate(String where, PostgresSettings settings, String doing, Throwable error) {
        if (error instanceof StorageException storage) {
            return storage;
        }
        Reason reason = reasonFor(error);
        String what = switch (reason) {
            case UNAVAILABLE -> "the database server cannot be reached (" + rootMessage(error) + ")";
            case BUSY -> describeWait(settings, error);
            case PERMISSION -> "access denied (" + rootMessage(error) + ")";
            default -> rootMessage(error);
        };
        return new StorageException(reason, null, where + ": " + doing + " failed: " + what, error);
    }

    static Reason reasonFor(Throwable error) {
        return SqlErrors.reasonFor(REASONS, error);
    }

    /** Which server timeout ran out, and how long it allows; every one of them rolled the transaction back. */
    private static String describeWait(PostgresSettings settings, Throwable error) {
        String state = SqlErrors.sqlState(error);
        String server = " (" + rootMessage(error) + ")";
        if (state.equals(LOCK_NOT_AVAILABLE)) {
            String on = "";
            for (Throwable t = error; t != null && t.getCause() != t && on.isEmpty(); t = t.getCause()) {
                on = t instanceof SessionLockException locking ? " on session " + locking.sessionId() : on;
            }
            return "waited " + longerThan(settings.lockTimeout()) + " for a lock" + on
                    + " held by another connection (lock_timeout); nothing was changed" + server;
        } else if (state.equals(QUERY_CANCELED) && rootMessage(error).contains("statement timeout")) {
            return "a statement ran " + longerThan(settings.statementTimeout())
                    + " (statement_timeout); nothing was changed" + server;
        } else if (state.equals(IDLE_IN_TRANSACTION_TIMEOUT)) {
            return "the transaction was idle " + longerThan(settings.idleInTransactionTimeout())
                    + " (idle_in_transaction_session_timeout) and the server ended its connection; nothing was changed"
                    + server;
        }
        return "the database stayed busy past the timeout" + server;
    }

    private static String longerThan(Duration timeout) {
        long millis = timeout.toMillis();
        return "more than " + (millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms");
    }

    /** The root cause's first line, without a password a URL in it may carry. */
    static String rootMessage(Throwable error) {
        return StorageFactory.redact(SqlErrors.rootMessage(error));
    }

    /** The server rolled the transaction back (a deadlock, a serialization failure): it may simply be run again. */
    static boolean isRetryable(Throwable error) {
        String state = SqlErrors.sqlState(error);
        return SERIALIZATION_FAILURE.equals(state) || DEADLOCK_DETECTED.equals(state);
    }
}
