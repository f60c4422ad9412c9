package io.claudesignal.sessions.adapters.jdbc;

import static io.claudesignal.sessions.adapters.jdbc.PrerenderedStatement.param;

import io.claudesignal.sessions.application.port.out.Change;
import io.claudesignal.sessions.application.port.out.ChangeFeed;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * The change log of one open store (table {@code changes}), written by the repositories in their
 * transactions, read by the store's change feed ({@link SqlChangeReader}). A write takes no turn with
 * other writers: the database fills in each row's place in the log, (xact, seq), where xact is the
 * writing transaction (0 on SQLite, whose single writer commits in seq order) and seq comes from a
 * sequence (the rowid on SQLite). Every write records its change after it locked its session, so a
 * session's rows rise in seq in the order of its commits. See docs/events.md. The adapter provides the
 * wait (its log follower, {@link #watch()}: a counter to poll, a notification to listen for) and, where
 * followers are told, the announcement after a commit ({@link SqlDialect#announce}).
 */
public final class SqlChangeLog implements ChangeFeed {

    /** Pruning runs on one write in this many, so that it costs nearly nothing per write. */
    private static final int PRUNE_EVERY = 256;
    /** The parameters of the insert of a change, in the order {@link #values} gives them. */
    private static final String[] NAMES = {"session", "kind", "actor", "at", "origin", "write", "from", "to", "reason",
            "ref", "appended", "removed"};

    private final SqlTransactions db;
    private final SqlDialect dialect;
    private final Supplier<Watch> follower;
    final SqlTables.Changes t;
    final LogOrder order;
    // Random, so that two opens of one database (in one process or two) never share one.
    final long origin = new SecureRandom().nextLong();
    /** The log's statements, rendered once for this database (rendering them per call cost more than running them). */
    private final PrerenderedStatement.Once<Statements> sql = new PrerenderedStatement.Once<>(Statements::new);
    /** Changes this handle recorded: paces the pruning. */
    private final AtomicLong recorded = new AtomicLong();

    /** @param follower a new wait for other handles' commits, each time a feed follows the log */
    public SqlChangeLog(SqlTransactions db, SqlDialect dialect, Supplier<Watch> follower) {
        this.db = db;
        this.dialect = dialect;
        this.follower = follower;
        this.t = new SqlTables(dialect).changes;
        this.order = new LogOrder(t, dialect.changeHorizon().isPresent());
    }

    /**
     * Where the rows carry their transaction's number (a server), the number of the transaction that
     * recorded a single change, set on its context: the adapter's transactions read it there rather
     * than ask the server once more before the commit (to settle a commit whose answer is lost).
     */
    public static final String WRITING_TRANSACTION = "sessions.writing-transaction";

    /** Records a change in the write's own transaction; call it last, after the change itself. */
    public final void record(DSLContext ctx, Change.Entry e) {
        recordAll(ctx, List.of(e));
    }

    /**
     * Records {@code entries}, in order, in the write's own transaction, through one statement rendered
     * once, as one batch when there are several (a crash recovery records thousands at once).
     */
    public final void recordAll(DSLContext ctx, List<Change.Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        if (entries.size() == 1 && dialect.changeHorizon().isPresent()) {
            recordReturningTransaction(ctx, entries.get(0));
            return;
        }
        PrerenderedStatement insert = sql.get(ctx).insert;
        try (PreparedStatement statement = insert.prepare(ctx, values(entries.get(0)))) {
            if (entries.size() == 1) {
                statement.executeUpdate();
            } else {
                statement.addBatch();
                for (int i = 1; i < entries.size(); i++) {
                    insert.bind(statement, values(entries.get(i)));
                    statement.addBatch();
                }
                statement.executeBatch();
            }
        } catch (SQLException failure) {
            throw new DataAccessException("recording changes", failure);
        }
        afterRecording(ctx, entries.size());
    }

    /** One change, through an insert that also returns its transaction's number ({@link #WRITING_TRANSACTION}). */
    private void recordReturningTransaction(DSLContext ctx, Change.Entry entry) {
        try (PreparedStatement statement = sql.get(ctx).insertReturningXact.prepare(ctx, values(entry));
             ResultSet row = statement.executeQuery()) {
            if (row.next()) {
                ctx.data(WRITING_TRANSACTION, row.getLong(1));
            }
        } catch (SQLException failure) {
            throw new DataAccessException("recording a change", failure);
        }
        afterRecording(ctx, 1);
    }

    private void afterRecording(DSLContext ctx, int count) {
        long before = recorded.getAndAdd(count);
        // Pruning runs when this handle's writes cross a multiple of PRUNE_EVERY.
        if ((before + count) / PRUNE_EVERY != before / PRUNE_EVERY) {
            prune(ctx);
        }
        dialect.announce(ctx);
    }

    /**
     * Deletes all but the newest {@link Change#RETAINED} rows and records how far it went, so that a
     * reader behind that point hears a resync. One pruner at a time: where rows are locked, a write whose
     * turn it is while another prunes skips it rather than wait. Its statements are rendered once: built
     * through jOOQ on each run, they were most of the writer's Java time in a profile of the enqueue.
     */
    private void prune(DSLContext ctx) {
        Statements s = sql.get(ctx);
        try {
            try (PreparedStatement mark = s.pruneMark.prepare(ctx); ResultSet row = mark.executeQuery()) {
                if (!row.next()) {
                    return;
                }
            }
            long xact;
            long seq;
            try (PreparedStatement through = s.pruneThrough.prepare(ctx); ResultSet row = through.executeQuery()) {
                if (!row.next()) {
                    return;
                }
                xact = row.getLong(1);
                seq = row.getLong(2);
            }
            try (PreparedStatement delete = s.pruneDelete.prepare(ctx, xact, seq)) {
                delete.executeUpdate();
            }
            try (PreparedStatement advance = s.pruneAdvance.prepare(ctx, xact, seq)) {
                advance.executeUpdate();
            }
        } catch (SQLException failure) {
            throw new DataAccessException("pruning the change log", failure);
        }
    }

    /** A change's values, named as {@link #NAMES} says, as the columns store them. */
    private Object[] values(Change.Entry e) {
        return new Object[] {PrerenderedStatement.db(t.sessionId, e.sessionId().value()), e.kind().name(),
                e.actor().value(), PrerenderedStatement.db(t.changedAt, e.at()), origin, e.writeId(),
                e.from() == null ? null : e.from().name(), e.to() == null ? null : e.to().name(), e.reason(),
                e.ref(), e.appended(), e.removed()};
    }

    /**
     * The log's statements for the database of the first context that writes (this log belongs to one
     * database). A change's place in the log, (xact, seq), is the columns' defaults.
     */
    private final class Statements {
        final PrerenderedStatement insert;
        /** Used only where the rows carry their transaction's number ({@link SqlDialect#changeHorizon}). */
        final PrerenderedStatement insertReturningXact;
        final PrerenderedStatement pruneMark;
        final PrerenderedStatement pruneThrough;
        final PrerenderedStatement pruneDelete;
        final PrerenderedStatement pruneAdvance;

        Statements(DSLContext render) {
            var values = render.insertInto(t.table)
                    .set(t.sessionId, param("session", t.sessionId))
                    .set(t.kind, param("kind", t.kind))
                    .set(t.actor, param("actor", t.actor))
                    .set(t.changedAt, param("at", t.changedAt))
                    .set(t.origin, param("origin", t.origin))
                    .set(t.writeId, param("write", t.writeId))
                    .set(t.fromStatus, param("from", t.fromStatus))
                    .set(t.toStatus, param("to", t.toStatus))
                    .set(t.reason, param("reason", t.reason))
                    .set(t.ref, param("ref", t.ref))
                    .set(t.appended, param("appended", t.appended))
                    .set(t.removed, param("removed", t.removed));
            insert = PrerenderedStatement.render(values, NAMES);
            insertReturningXact = PrerenderedStatement.render(values.returning(t.xact), NAMES);
            Field<Integer> only = DSL.inline(1);
            pruneMark = PrerenderedStatement.render(dialect.writeLocks()
                    .unlockedForWrite(render.select(t.prunedXact).from(t.pruned).where(t.prunedId.eq(only))));
            // The newest row past the retained ones: a walk of RETAINED entries of the log's order.
            pruneThrough = PrerenderedStatement.render(render.select(t.xact, t.seq).from(t.table)
                    .orderBy(order.descending()).limit(DSL.inline(1)).offset(DSL.inline(Change.RETAINED)));
            Field<Long> xact = param("xact", t.xact);
            Field<Long> seq = param("seq", t.seq);
            pruneDelete = PrerenderedStatement.render(render.deleteFrom(t.table).where(order.atOrBefore(xact, seq)),
                    "xact", "seq");
            pruneAdvance = PrerenderedStatement.render(render.update(t.pruned)
                    .set(t.prunedXact, xact).set(t.prunedSeq, seq)
                    .where(t.prunedId.eq(only).and(DSL.row(t.prunedXact, t.prunedSeq).lt(xact, seq))),
                    "xact", "seq");
        }
    }

    @Override
    public Watch watch() {
        return follower.get();
    }

    @Override
    public final Reader reader() {
        return new SqlChangeReader(this, db, dialect.changeHorizon());
    }
}
