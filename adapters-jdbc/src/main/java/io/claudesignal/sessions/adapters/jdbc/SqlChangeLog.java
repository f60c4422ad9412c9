package io.claudesignal.sessions.adapters.jdbc;

import io.claudesignal.sessions.application.port.out.Change;
import io.claudesignal.sessions.application.port.out.ChangeFeed;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionStatus;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
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
        serialize(ctx);
        long next = ctx.insertInto(table)
                .set(seq, DSL.field(DSL.select(DSL.coalesce(DSL.max(seq), 0L).plus(1)).from(table)))
                .set(sessionId, e.sessionId().value())
                .set(kind, e.kind().name())
                .set(actor, e.actor().value())
                .set(changedAt, e.at())
                .set(originColumn, origin)
                .set(fromStatus, e.from() == null ? null : e.from().name())
                .set(toStatus, e.to() == null ? null : e.to().name())
                .set(reason, e.reason())
                .set(ref, e.ref())
                .set(appended, e.appended())
                .set(removed, e.removed())
                .returning(seq)
                .fetchOne(seq);
        if (next % PRUNE_EVERY == 0) {
            ctx.deleteFrom(table).where(seq.le(next - Change.RETAINED)).execute();
        }
        announce(ctx);
    }

    /** Makes the writers of the log take turns until their commits; nothing where there is one writer. */
    protected void serialize(DSLContext ctx) {
    }

    /** Tells waiting followers, at the commit, that the log grew; nothing where they poll. */
    protected void announce(DSLContext ctx) {
    }

    @Override
    public final long head() {
        return db.read(ctx -> ctx.select(DSL.max(seq)).from(table).fetchOptional(0, Long.class).orElse(0L));
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
