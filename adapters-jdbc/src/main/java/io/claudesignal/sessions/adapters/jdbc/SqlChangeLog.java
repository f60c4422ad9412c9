package io.claudesignal.sessions.adapters.jdbc;

import io.claudesignal.sessions.application.port.out.Change;
import io.claudesignal.sessions.application.port.out.ChangeFeed;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionStatus;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Param;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * The change log of one open store (table {@code changes}, SQLite V6, PostgreSQL V4): written by the
 * repositories in their transactions, read by the store's change feed. seq is the last one plus one,
 * so it rises by one per change in commit order as long as writers of the log are serialized to their
 * commit: SQLite's single writer does that; a server's adapter does it in {@link #serialize}. The
 * adapter provides the wait ({@link #watch()}: a counter to poll, a notification to listen for).
 */
public abstract class SqlChangeLog implements ChangeFeed {

    /** Pruning runs on one write in this many, so that it costs nearly nothing per write. */
    private static final int PRUNE_EVERY = 256;
    /** The parameters of the insert of a change, in the order {@link #values} gives them. */
    private static final String[] NAMES = {"session", "kind", "actor", "at", "origin", "from", "to", "reason", "ref",
            "appended", "removed"};

    protected final SqlTransactions db;
    // Random, so that two opens of one database (in one process or two) never share one.
    private final long origin = new SecureRandom().nextLong();
    private final Table<Record> table = DSL.table(DSL.name("changes"));
    private final Field<Long> seq = column("seq", SQLDataType.BIGINT);
    private final Field<UUID> sessionId;
    private final Field<String> kind = column("kind", SQLDataType.VARCHAR);
    private final Field<String> actor = column("actor", SQLDataType.VARCHAR);
    private final Field<Instant> changedAt;
    private final Field<Long> originColumn = column("origin", SQLDataType.BIGINT);
    private final Field<String> fromStatus = column("from_status", SQLDataType.VARCHAR);
    private final Field<String> toStatus = column("to_status", SQLDataType.VARCHAR);
    private final Field<String> reason = column("reason", SQLDataType.VARCHAR);
    private final Field<Long> ref = column("ref", SQLDataType.BIGINT);
    private final Field<Long> appended = column("appended", SQLDataType.BIGINT);
    private final Field<Long> removed = column("removed", SQLDataType.BIGINT);

    protected SqlChangeLog(SqlTransactions db, SqlDialect dialect) {
        this.db = db;
        this.sessionId = column("session_id", dialect.uuidType());
        this.changedAt = column("changed_at", dialect.instantType());
    }

    private <T> Field<T> column(String name, org.jooq.DataType<T> type) {
        return DSL.field(DSL.name("changes", name), type);
    }

    /** Records a change in the write's own transaction; call it last, after the change itself. */
    public final void record(DSLContext ctx, Change.Entry e) {
        recordAll(ctx, List.of(e));
    }

    /**
     * Records {@code entries}, in order, in the write's own transaction, through one statement rendered
     * once (each row's seq is the last one plus one, read by the INSERT itself), as one batch when
     * there are several. A crash recovery records thousands at once, and one jOOQ-rendered statement
     * each cost more than the recovery's own UPDATE; every other write records one, and rendering it
     * per call was a large share of a {@code create}.
     */
    public final void recordAll(DSLContext ctx, List<Change.Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        serialize(ctx);
        PrerenderedStatement sql = insert(ctx);
        try (PreparedStatement insert = sql.prepare(ctx, values(entries.get(0)))) {
            if (entries.size() == 1) {
                insert.executeUpdate();
            } else {
                insert.addBatch();
                for (int i = 1; i < entries.size(); i++) {
                    sql.bind(insert, values(entries.get(i)));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        } catch (SQLException failure) {
            throw new DataAccessException("recording changes", failure);
        }
        long before = recorded.getAndAdd(entries.size());
        // Pruning runs when this handle's writes cross a multiple of PRUNE_EVERY.
        if ((before + entries.size()) / PRUNE_EVERY != before / PRUNE_EVERY) {
            ctx.deleteFrom(table)
                    .where(seq.le(DSL.field(DSL.select(DSL.max(seq).minus(DSL.inline((long) Change.RETAINED))).from(table))))
                    .execute();
        }
        announce(ctx);
    }

    /** A change's values, named as {@link #NAMES} says, as the columns store them. */
    private Object[] values(Change.Entry e) {
        return new Object[] {PrerenderedStatement.db(sessionId, e.sessionId().value()), e.kind().name(),
                e.actor().value(), PrerenderedStatement.db(changedAt, e.at()), origin,
                e.from() == null ? null : e.from().name(), e.to() == null ? null : e.to().name(), e.reason(),
                e.ref(), e.appended(), e.removed()};
    }

    /**
     * The insert of a change, rendered once for the database of the first context that writes one (this
     * log belongs to one database). Its seq is read by the statement itself, after the write took its
     * turn ({@link #serialize}), so no separate round trip reads it.
     */
    private PrerenderedStatement insert(DSLContext ctx) {
        PrerenderedStatement rendered = insert;
        if (rendered == null) {
            // Rendering twice in a race is harmless: both render the same text.
            DSLContext render = DSL.using(ctx.dialect(), ctx.settings());
            rendered = PrerenderedStatement.render(render.insertInto(table)
                    .set(seq, DSL.field(DSL.select(DSL.coalesce(DSL.max(seq), DSL.inline(0L)).plus(DSL.inline(1L)))
                            .from(table)))
                    .set(sessionId, p("session", sessionId))
                    .set(kind, p("kind", kind))
                    .set(actor, p("actor", actor))
                    .set(changedAt, p("at", changedAt))
                    .set(originColumn, p("origin", originColumn))
                    .set(fromStatus, p("from", fromStatus))
                    .set(toStatus, p("to", toStatus))
                    .set(reason, p("reason", reason))
                    .set(ref, p("ref", ref))
                    .set(appended, p("appended", appended))
                    .set(removed, p("removed", removed)), NAMES);
            insert = rendered;
        }
        return rendered;
    }

    private static <T> Param<T> p(String name, Field<T> like) {
        return DSL.param(name, like.getDataType());
    }

    private volatile PrerenderedStatement insert;
    /** Changes this handle recorded: paces the pruning. */
    private final AtomicLong recorded = new AtomicLong();

    private long head(DSLContext ctx) {
        return ctx.select(DSL.max(seq)).from(table).fetchOptional(0, Long.class).orElse(0L);
    }

    /** Makes the writers of the log take turns until their commits; nothing where there is one writer. */
    protected void serialize(DSLContext ctx) {
    }

    /** Tells waiting followers, at the commit, that the log grew; nothing where they poll. */
    protected void announce(DSLContext ctx) {
    }

    @Override
    public final long head() {
        return db.read(this::head);
    }

    @Override
    public final List<Change> after(long position, int limit) {
        return db.read(ctx -> ctx.select(seq, sessionId, kind, actor, changedAt, originColumn, fromStatus, toStatus,
                        reason, ref, appended, removed)
                .from(table).where(seq.gt(position)).orderBy(seq).limit(limit)
                .fetch(r -> new Change.Entry(new SessionId(r.get(sessionId)), Change.Kind.valueOf(r.get(kind)),
                        new Actor(r.get(actor)), r.get(changedAt), status(r.get(fromStatus)), status(r.get(toStatus)),
                        r.get(reason), r.get(ref), r.get(appended), r.get(removed))
                        .at(r.get(seq), r.get(originColumn) == origin)));
    }

    private static SessionStatus status(String name) {
        return name == null ? null : SessionStatus.valueOf(name);
    }
}
