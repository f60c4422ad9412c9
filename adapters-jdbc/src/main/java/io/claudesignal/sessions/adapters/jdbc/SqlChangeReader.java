package io.claudesignal.sessions.adapters.jdbc;

import io.claudesignal.sessions.application.port.out.Change;
import io.claudesignal.sessions.application.port.out.ChangeFeed;
import io.claudesignal.sessions.domain.SessionId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Record2;
import org.jooq.impl.DSL;

/**
 * One follower's position in the SQL change log ({@link SqlChangeLog}). It reads the rows of
 * transactions that have all ended (below the dialect's horizon; on SQLite every committed row) in
 * (xact, seq) order after its cursor, so a transaction that commits late is read when it ends, never
 * skipped. Rows are read once: those handed out ahead of the cursor ({@link #through}, and the
 * per-session completion below) are remembered until the cursor passes them.
 *
 * <p>Per session, rows must come in seq order, which is that session's commit order; but a row of a
 * transaction that ended can sort before one of the same session whose transaction is older and ended
 * too, yet is still below another running transaction's horizon. So where there is a horizon, each page
 * is completed with the committed rows of its sessions that come before one of its rows in seq, and
 * each session's rows are put in seq order.
 */
final class SqlChangeReader implements ChangeFeed.Reader {

    private record Key(long xact, long seq) implements Comparable<Key> {
        private static final Comparator<Key> ORDER = Comparator.comparingLong(Key::xact).thenComparingLong(Key::seq);

        @Override
        public int compareTo(Key other) {
            return ORDER.compare(this, other);
        }
    }

    private record Row(Key key, Change change) {
    }

    private final SqlChangeLog log;
    private final SqlTransactions db;
    private final SqlTables.Changes t;
    private final Optional<Field<Long>> horizon;
    private Key cursor;
    /** Rows after the cursor that were handed out already. */
    private final TreeSet<Key> ahead = new TreeSet<>();
    private long position;

    SqlChangeReader(SqlChangeLog log, SqlTransactions db, Optional<Field<Long>> horizon) {
        this.log = log;
        this.db = db;
        this.t = log.t;
        this.horizon = horizon;
        db.read(this::startAtHead);
    }

    /** The newest row every reader can read now, and the rows after it that committed already (told as past). */
    private Void startAtHead(DSLContext ctx) {
        long below = horizon.map(h -> ctx.select(h).fetchSingle().value1()).orElse(Long.MAX_VALUE);
        Condition committed = horizon.isPresent() ? t.xact.lt(below) : DSL.noCondition();
        cursor = ctx.select(t.xact, t.seq).from(t.table).where(committed).orderBy(log.order.descending()).limit(1)
                .fetchOptional().map(r -> new Key(r.value1(), r.value2())).orElse(new Key(0, 0));
        if (horizon.isPresent()) {
            ctx.select(t.xact, t.seq).from(t.table).where(t.xact.ge(below))
                    .forEach(r -> ahead.add(new Key(r.value1(), r.value2())));
        }
        position = head(ctx);
        return null;
    }

    private long head(DSLContext ctx) {
        return ctx.select(DSL.max(t.seq)).from(t.table).fetchOptional(0, Long.class).orElse(0L);
    }

    @Override
    public long head() {
        return db.read(this::head);
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public ChangeFeed.Page next(int limit) {
        return db.read(ctx -> {
            OptionalLong pruned = skipPruned(ctx);
            Condition ready = log.order.after(cursor.xact(), cursor.seq());
            if (horizon.isPresent()) {
                ready = ready.and(t.xact.lt(horizon.get()));
            }
            List<Row> page = new ArrayList<>();
            for (Record r : ctx.select(t.all).from(t.table).where(ready).orderBy(log.order.ascending()).limit(limit).fetch()) {
                Row row = row(r);
                cursor = row.key();
                if (!ahead.remove(row.key())) {
                    page.add(row);
                }
            }
            ahead.headSet(cursor, true).clear();
            if (horizon.isPresent() && !page.isEmpty()) {
                page = inSessionOrder(page, earlierInSessions(ctx, page));
            }
            List<Change> changes = page.stream().map(Row::change).toList();
            changes.forEach(c -> position = Math.max(position, c.seq()));
            return new ChangeFeed.Page(changes, pruned);
        });
    }

    /** Moves the cursor past what pruning deleted, if it was behind; the newest position pruned, then. */
    private OptionalLong skipPruned(DSLContext ctx) {
        Record2<Long, Long> mark = ctx.select(t.prunedXact, t.prunedSeq).from(t.pruned).fetchOne();
        if (mark == null) {
            return OptionalLong.empty();
        }
        Key through = new Key(mark.value1(), mark.value2());
        if (cursor.compareTo(through) >= 0) {
            return OptionalLong.empty();
        }
        cursor = through;
        ahead.headSet(cursor, true).clear();
        position = Math.max(position, through.seq());
        return OptionalLong.of(through.seq());
    }

    /** The committed rows after the cursor of the page's sessions that come, in seq, before one of its rows. */
    private List<Row> earlierInSessions(DSLContext ctx, List<Row> page) {
        Map<UUID, Long> newest = new HashMap<>();
        page.forEach(row -> newest.merge(row.change().sessionId().value(), row.change().seq(), Math::max));
        List<Row> earlier = new ArrayList<>();
        for (Record r : ctx.select(t.all).from(t.table)
                .where(t.sessionId.in(newest.keySet()).and(log.order.after(cursor.xact(), cursor.seq())))
                .fetch()) {
            Row row = row(r);
            if (row.change().seq() < newest.get(row.change().sessionId().value()) && ahead.add(row.key())) {
                earlier.add(row);
            }
        }
        return earlier;
    }

    /**
     * The page with {@code earlier} added, each session's rows in seq order in the places its rows took
     * (the first of them taking the added ones too), so that other sessions keep the log's order.
     */
    private static List<Row> inSessionOrder(List<Row> page, List<Row> earlier) {
        Map<SessionId, Deque<Row>> bySession = new LinkedHashMap<>();
        for (Row row : page) {
            bySession.computeIfAbsent(row.change().sessionId(), k -> new ArrayDeque<>()).add(row);
        }
        Map<SessionId, Integer> extra = new HashMap<>();
        for (Row row : earlier) {
            bySession.get(row.change().sessionId()).add(row);
            extra.merge(row.change().sessionId(), 1, Integer::sum);
        }
        Comparator<Row> bySeq = Comparator.comparingLong(row -> row.change().seq());
        bySession.replaceAll((session, rows) -> rows.stream().sorted(bySeq)
                .collect(ArrayDeque::new, ArrayDeque::add, ArrayDeque::addAll));
        List<Row> ordered = new ArrayList<>(page.size() + earlier.size());
        Set<SessionId> started = new HashSet<>();
        for (Row row : page) {
            SessionId session = row.change().sessionId();
            int take = started.add(session) ? 1 + extra.getOrDefault(session, 0) : 1;
            for (int i = 0; i < take; i++) {
                ordered.add(bySession.get(session).pollFirst());
            }
        }
        return ordered;
    }

    @Override
    public List<Change> through(SessionId session, long writeId) {
        return db.read(ctx -> {
            List<Row> rows = new ArrayList<>();
            for (Record r : ctx.select(t.all).from(t.table)
                    .where(t.sessionId.eq(session.value()).and(log.order.after(cursor.xact(), cursor.seq())))
                    .orderBy(t.seq).fetch()) {
                rows.add(row(r));
            }
            return ChangeFeed.Reader.upToWrite(rows, Row::change, writeId, row -> ahead.add(row.key()));
        });
    }

    private Row row(Record r) {
        return new Row(new Key(r.get(t.xact), r.get(t.seq)), t.toChange(r, log.origin));
    }
}
