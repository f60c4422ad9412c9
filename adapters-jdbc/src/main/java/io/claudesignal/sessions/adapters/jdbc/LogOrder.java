package io.claudesignal.sessions.adapters.jdbc;

import java.util.List;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.SortField;
import org.jooq.impl.DSL;

/**
 * The change log's order, written once for its writer and its readers. Where writers commit side by
 * side (a dialect with a {@linkplain SqlDialect#changeHorizon horizon}), rows commit out of seq order
 * and the order is (xact, seq). Where one writer commits in seq order, every xact is 0 and seq alone
 * is the order, which the primary key serves: SQLite seeks a row value on its first column only, so
 * (xact, seq) would walk the whole log, and the log needs no other index (each costs its writes a page).
 */
final class LogOrder {

    private final SqlTables.Changes t;
    private final boolean byTransaction;

    LogOrder(SqlTables.Changes t, boolean byTransaction) {
        this.t = t;
        this.byTransaction = byTransaction;
    }

    /** The rows after position (xact, seq). */
    Condition after(long xact, long seq) {
        return byTransaction ? t.key().gt(xact, seq) : t.seq.gt(seq);
    }

    /** The rows at or before position (xact, seq), both parameters of a statement rendered once. */
    Condition atOrBefore(Field<Long> xact, Field<Long> seq) {
        return byTransaction ? t.key().le(xact, seq) : t.seq.le(seq);
    }

    /** Oldest first. */
    List<SortField<Long>> ascending() {
        return byTransaction ? List.of(t.xact.asc(), t.seq.asc()) : List.of(t.seq.asc());
    }

    /** Newest first. */
    List<SortField<Long>> descending() {
        return byTransaction ? List.of(t.xact.desc(), t.seq.desc()) : List.of(t.seq.desc());
    }
}
