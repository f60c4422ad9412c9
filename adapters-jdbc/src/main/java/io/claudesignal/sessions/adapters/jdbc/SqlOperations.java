package io.claudesignal.sessions.adapters.jdbc;

import io.claudesignal.sessions.application.port.out.SessionArchive;
import io.claudesignal.sessions.application.port.out.StoreOperations;
import io.claudesignal.sessions.domain.Activity;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.SessionSummary;
import io.claudesignal.sessions.domain.TranscriptItem;
import io.claudesignal.sessions.domain.Transition;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.Record2;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * The store operations on any SQL database, each one transaction of {@link SqlTransactions}: pinning,
 * purge, whole-session export and import, sizes. What the storage does outside SQL (its backup, its
 * bytes on disk) comes from its {@link Files}; a snapshot's isolation and the purge's locks from its
 * {@link SqlDialect}.
 */
public final class SqlOperations implements StoreOperations {

    /** What a storage does outside SQL: a file copies itself and has a size; a server has its own tools. */
    public interface Files {

        /** As {@link StoreOperations#backup}. */
        void backup(Path target);

        /** The store's bytes on disk, when it is a file; empty on a server. */
        default OptionalLong bytes() {
            return OptionalLong.empty();
        }
    }

    /**
     * Rows per INSERT: 5 parameters each, 500 in all. Over 999 parameters jOOQ inlines every value into
     * the SQL text for SQLite (its historical limit), and a text over 1,000,000 bytes is SQLITE_TOOBIG:
     * a transcript of a few large items would not import. Bound, the items' size does not matter.
     */
    private static final int ROWS_PER_INSERT = 100;

    private final SqlTransactions db;
    private final SqlTables.Sessions sessions;
    private final SqlDialect dialect;
    private final SqlRules rules;
    private final Files files;
    private final SqlTables.Transitions transitions;
    private final SqlTables.ActivityLogs activityLogs;
    private final SqlTables.Activities activities;
    private final SqlTables.Transcripts transcripts;
    private final SqlTables.TranscriptItems transcriptItems;
    private final SqlInFlightArchive inFlight;

    public SqlOperations(SqlTransactions db, SqlDialect dialect, Files files) {
        this.rules = new SqlRules(dialect);
        SqlTables tables = rules.tables();
        this.db = db;
        this.dialect = dialect;
        this.files = files;
        this.sessions = tables.sessions;
        this.transitions = tables.transitions;
        this.activityLogs = tables.activityLogs;
        this.activities = tables.activities;
        this.transcripts = tables.transcripts;
        this.transcriptItems = tables.transcriptItems;
        this.inFlight = new SqlInFlightArchive(tables);
    }

    @Override
    public Session setPinned(SessionId id, boolean pinned) {
        return db.write(ctx -> ctx.update(sessions.table).set(sessions.pinned, pinned).where(sessions.id.eq(id.value()))
                .returning(sessions.all).fetchOptional()
                .map(sessions::toSession)
                .orElseThrow(() -> new SessionNotFoundException(id)));
    }

    /** What a purge may delete; evaluated by the deleting statement itself. */
    private Condition purgeable(Instant cutoff) {
        return sessions.status.eq(SessionStatus.TERMINATED.name()).and(sessions.pinned.eq(false))
                .and(sessions.updatedAt.lt(cutoff));
    }

    @Override
    public int purgeBatch(Instant cutoff, int limit) {
        // One short write: the batch chosen (and, where rows are locked, locked: SKIP LOCKED, so that two
        // purges take disjoint batches and a row being written waits for the next one) once, by a CTE
        // whose LIMIT holds whatever plan the database picks for the DELETE; the condition is checked
        // again by the DELETE on the row it deletes. The cascade removes what the session owns (and,
        // where the database can, secure_delete overwrites its pages).
        Table<Record> batch = DSL.table(DSL.name("batch"));
        Field<UUID> batchId = DSL.field(DSL.name("batch", sessions.id.getName()), sessions.id.getDataType());
        return db.write(ctx -> ctx.with(batch.getName()).as(dialect.writeLocks().unlockedForWrite(
                        DSL.select(sessions.id).from(sessions.table).where(purgeable(cutoff))
                                .orderBy(sessions.updatedAt, sessions.id).limit(limit)))
                .delete(sessions.table)
                .where(sessions.id.in(DSL.select(batchId).from(batch)).and(purgeable(cutoff)))
                .execute());
    }

    @Override
    public void backup(Path target) {
        files.backup(target);
    }

    @Override
    public List<SessionSummary> purgeCandidates(Instant cutoff, Optional<SessionSummary> after, int limit) {
        Condition where = purgeable(cutoff);
        if (after.isPresent()) {
            where = where.and(DSL.row(sessions.updatedAt, sessions.id).gt(after.get().updatedAt(), after.get().id().value()));
        }
        Condition condition = where;
        return db.read(ctx -> ctx.select(sessions.summary).from(sessions.table).where(condition)
                .orderBy(sessions.updatedAt, sessions.id)
                .limit(limit)
                .fetch(sessions::toSummary));
    }

    @Override
    public Optional<SessionArchive> archive(SessionId id) {
        // One snapshot: the counters agree with the rows they count.
        return inSnapshot(ctx -> read(ctx, id));
    }

    private Optional<SessionArchive> read(DSLContext ctx, SessionId id) {
        UUID uuid = id.value();
        Optional<Session> session = ctx.select(sessions.all).from(sessions.table).where(sessions.id.eq(uuid))
                .fetchOptional(sessions::toSession);
        if (session.isEmpty()) {
            return Optional.empty();
        }
        List<Transition> history = ctx.select(transitions.all).from(transitions.table)
                .where(transitions.sessionId.eq(uuid))
                .orderBy(transitions.seq)
                .fetch(r -> transitions.toTransition(id, r));
        Record2<Long, Long> counters = ctx.select(activityLogs.lastSeq, activityLogs.acknowledgedSeq)
                .from(activityLogs.table).where(activityLogs.sessionId.eq(uuid)).fetchOne();
        List<Activity> logged = ctx.select(activities.all).from(activities.table)
                .where(activities.sessionId.eq(uuid))
                .orderBy(activities.seq)
                .fetch(r -> activities.toActivity(id, r));
        long transcriptLast = ctx.select(transcripts.lastSeq).from(transcripts.table)
                .where(transcripts.sessionId.eq(uuid))
                .fetchOptional(transcripts.lastSeq).orElse(0L);
        return Optional.of(new SessionArchive(session.get(), history,
                counters == null ? 0 : counters.value1(), counters == null ? 0 : counters.value2(), logged,
                transcriptLast, inFlight.approvals(ctx, id), inFlight.inbox(ctx, id), inFlight.outbox(ctx, id)));
    }

    @Override
    public void restore(SessionArchive archive, List<TranscriptItem> items) {
        Session s = archive.session();
        UUID uuid = s.id().value();
        db.write(ctx -> {
            try {
                rules.hot(ctx).insertSession(ctx, s);
            } catch (SQLException e) {
                throw new DataAccessException("importing a session", e);
            }
            for (Transition t : archive.history()) {
                ctx.insertInto(transitions.table)
                        .set(transitions.sessionId, uuid)
                        .set(transitions.fromStatus, t.from().name()).set(transitions.toStatus, t.to().name())
                        .set(transitions.changedAt, t.at()).set(transitions.reason, t.reason())
                        .set(transitions.actor, t.actor().value())
                        .execute();
            }
            if (archive.activityLastSeq() > 0) {
                ctx.insertInto(activityLogs.table).set(activityLogs.sessionId, uuid)
                        .set(activityLogs.lastSeq, archive.activityLastSeq())
                        .set(activityLogs.acknowledgedSeq, archive.acknowledgedSeq())
                        .execute();
                for (Activity a : archive.activities()) {
                    ctx.insertInto(activities.table).set(activities.sessionId, uuid).set(activities.seq, a.seq())
                            .set(activities.type, a.type()).set(activities.occurredAt, a.at())
                            .set(activities.details, a.details())
                            .execute();
                }
            }
            if (archive.transcriptLastSeq() > 0) {
                ctx.insertInto(transcripts.table).set(transcripts.sessionId, uuid)
                        .set(transcripts.lastSeq, archive.transcriptLastSeq()).execute();
                for (int from = 0; from < items.size(); from += ROWS_PER_INSERT) {
                    var rows = ctx.insertInto(transcriptItems.table, transcriptItems.sessionId, transcriptItems.seq,
                            transcriptItems.key, transcriptItems.appendedAt, transcriptItems.item);
                    for (TranscriptItem item : items.subList(from, Math.min(items.size(), from + ROWS_PER_INSERT))) {
                        rows = rows.values(uuid, item.seq(), item.key().orElse(null), item.at(), item.json());
                    }
                    rows.execute();
                }
            }
            inFlight.restore(ctx, uuid, archive.approvals(), archive.inbox(), archive.outbox());
            return null;
        });
    }

    @Override
    public Sizes sizes() {
        // One snapshot: the counts agree with each other.
        return inSnapshot(ctx -> {
            Map<SessionStatus, Long> byStatus = ctx.select(sessions.status, DSL.count()).from(sessions.table)
                    .groupBy(sessions.status)
                    .fetch().stream().collect(Collectors.toMap(r -> SessionStatus.valueOf(r.value1()),
                            r -> r.value2().longValue()));
            long items = ctx.fetchCount(transcriptItems.table);
            return new Sizes(byStatus, items, files.bytes());
        });
    }

    /** Runs {@code work}, which only reads, in one read transaction that sees one snapshot. */
    private <T> T inSnapshot(Function<DSLContext, T> work) {
        return db.read(ctx -> ctx.transactionResult(cfg -> {
            DSLContext tx = DSL.using(cfg);
            dialect.beginSnapshot(tx);
            return work.apply(tx);
        }));
    }
}
