package io.claudesignal.sessions.adapters.jdbc;

import io.claudesignal.sessions.application.port.out.Change;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionStatus;
import java.time.Instant;
import java.util.UUID;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Row2;
import org.jooq.SelectField;
import org.jooq.Table;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * The change log's tables as the shared core reads and writes them (SQLite V6 and V8, PostgreSQL V6):
 * {@code changes}, ordered by (xact, seq), and {@code change_log_pruned}, how far pruning went.
 */
final class ChangeTable {

    final Table<Record> table = DSL.table(DSL.name("changes"));
    final Field<Long> xact = column("xact", SQLDataType.BIGINT);
    final Field<Long> seq = column("seq", SQLDataType.BIGINT);
    final Field<UUID> sessionId;
    final Field<String> kind = column("kind", SQLDataType.VARCHAR);
    final Field<String> actor = column("actor", SQLDataType.VARCHAR);
    final Field<Instant> changedAt;
    final Field<Long> origin = column("origin", SQLDataType.BIGINT);
    final Field<Long> writeId = column("write_id", SQLDataType.BIGINT);
    final Field<String> fromStatus = column("from_status", SQLDataType.VARCHAR);
    final Field<String> toStatus = column("to_status", SQLDataType.VARCHAR);
    final Field<String> reason = column("reason", SQLDataType.VARCHAR);
    final Field<Long> ref = column("ref", SQLDataType.BIGINT);
    final Field<Long> appended = column("appended", SQLDataType.BIGINT);
    final Field<Long> removed = column("removed", SQLDataType.BIGINT);
    /** A whole row, in the order {@link #toChange} reads it. */
    final SelectField<?>[] all;

    final Table<Record> pruned = DSL.table(DSL.name("change_log_pruned"));
    final Field<Integer> prunedId = DSL.field(DSL.name("change_log_pruned", "only_row"), SQLDataType.INTEGER);
    final Field<Long> prunedXact = DSL.field(DSL.name("change_log_pruned", "through_xact"), SQLDataType.BIGINT);
    final Field<Long> prunedSeq = DSL.field(DSL.name("change_log_pruned", "through_seq"), SQLDataType.BIGINT);

    ChangeTable(SqlDialect dialect) {
        sessionId = column("session_id", dialect.uuidType());
        changedAt = column("changed_at", dialect.instantType());
        all = new SelectField<?>[] {xact, seq, sessionId, kind, actor, changedAt, origin, writeId, fromStatus, toStatus,
                reason, ref, appended, removed};
    }

    private static <T> Field<T> column(String name, DataType<T> type) {
        return DSL.field(DSL.name("changes", name), type);
    }

    /** The order of the log: (xact, seq). */
    Row2<Long, Long> key() {
        return DSL.row(xact, seq);
    }

    /** A row read through {@link #all}, as the handle whose store is {@code origin} sees it. */
    Change toChange(Record r, long self) {
        return new Change.Entry(new SessionId(r.get(sessionId)), Change.Kind.valueOf(r.get(kind)),
                new Actor(r.get(actor)), r.get(changedAt), r.get(writeId), status(r.get(fromStatus)),
                status(r.get(toStatus)), r.get(reason), r.get(ref), r.get(appended), r.get(removed))
                .at(r.get(seq), r.get(origin) == self);
    }

    private static SessionStatus status(String name) {
        return name == null ? null : SessionStatus.valueOf(name);
    }
}
