package io.claudesignal.sessions.adapters.postgres;

import static io.claudesignal.sessions.adapters.postgres.jooq.Tables.ACTIVITIES;
import static io.claudesignal.sessions.adapters.postgres.jooq.Tables.ACTIVITY_LOGS;
import static io.claudesignal.sessions.adapters.postgres.jooq.Tables.SESSIONS;
import static io.claudesignal.sessions.adapters.postgres.jooq.Tables.TRANSCRIPTS;
import static io.claudesignal.sessions.adapters.postgres.jooq.Tables.TRANSCRIPT_ITEMS;
import static io.claudesignal.sessions.adapters.postgres.jooq.Tables.TRANSITIONS;

import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.domain.StorageException.Reason;
import io.claudesignal.sessions.domain.DuplicateSessionException;
import io.claudesignal.sessions.adapters.jdbc.SqlTables;
import io.claudesignal.sessions.application.port.out.SessionArchive;
import io.claudesignal.sessions.application.port.out.StoreOperations;
import io.claudesignal.sessions.domain.Activity;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.SessionSummary;
import io.claudesignal.sessions.domain.TranscriptItem;
import io.claudesignal.sessions.domain.Transition;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;

/** Pinning, retention, whole-session export and import and sizes on a PostgreSQL schema. */
final class PostgresOperations implements StoreOperations {

    private static final int ROWS_PER_INSERT = 1000;
    /** The shared SQL core's mapping of a sessions row. */
    private static final SqlTables.Sessions ROWS = new SqlTables(PostgresDialect.INSTANCE).sessions;

    private final PostgresDatabase db;

    PostgresOperations(PostgresDatabase db) {
        this.db = db;
    }

    @Override
    public Session setPinned(SessionId id, boolean pinned) {
        return db.write(ctx -> ctx.update(SESSIONS).set(SESSIONS.PINNED, pinned).where(SESSIONS.ID.eq(id.value()))
                .returning().fetchOptional()
                .map(ROWS::toSession)
                .orElseThrow(() -> new SessionNotFoundException(id)));
    }

    /** What a purge may delete; evaluated by the deleting statement itself. */
    private static Condition purgeable(Instant cutoff) {
        return SESSIONS.STATUS.eq(SessionStatus.TERMINATED.name()).and(SESSIONS.PINNED.isFalse())
                .and(SESSIONS.UPDATED_AT.lt(cutoff));
    }

    @Override
    public List<SessionSummary> purgeCandidates(Instant cutoff, Optional<SessionSummary> after, int limit) {
        Condition where = purgeable(cutoff);
        if (after.isPresent()) {
            where = where.and(DSL.row(SESSIONS.UPDATED_AT, SESSIONS.ID).gt(after.get().updatedAt(), after.get().id().value()));
        }
        Condition condition = where;
        return db.read(ctx -> ctx.select(SESSIONS.ID, SESSIONS.PROJECT_PATH, SESSIONS.THREAD_ID, SESSIONS.STATUS,
                        SESSIONS.CREATED_AT, SESSIONS.UPDATED_AT, SESSIONS.VERSION, SESSIONS.PINNED)
                .from(SESSIONS).where(condition)
                .orderBy(SESSIONS.UPDATED_AT, SESSIONS.ID)
                .limit(limit)
                .fetch(ROWS::toSummary));
    }

    @Override
    public int purgeBatch(Instant cutoff, int limit) {
        // SKIP LOCKED: two purges (two daemons) take disjoint batches instead of queueing behind each
        // other, and a row a daemon is writing is left for the next batch. The condition is checked
        // again by the DELETE on the row it deletes; the cascade removes what the session owns.
        // A CTE, so that the batch is chosen (and locked) once and its LIMIT holds whatever plan the
        // server picks for the DELETE.
        String before = cutoff.toString();
        return db.write(ctx -> ctx.execute("WITH batch AS (SELECT id FROM sessions"
                + " WHERE status = 'TERMINATED' AND NOT pinned AND updated_at < CAST(? AS timestamptz)"
                + " ORDER BY updated_at, id LIMIT ? FOR UPDATE SKIP LOCKED)"
                + " DELETE FROM sessions s USING batch WHERE s.id = batch.id"
                + " AND s.status = 'TERMINATED' AND NOT s.pinned AND s.updated_at < CAST(? AS timestamptz)", before, limit, before));
    }

    @Override
    public Optional<SessionArchive> archive(SessionId id) {
        // One REPEATABLE READ snapshot: the counters agree with the rows they count.
        return db.read(ctx -> ctx.transactionResult(cfg -> {
            DSLContext tx = DSL.using(cfg);
            tx.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            return read(tx, id);
        }));
    }

    private static Optional<SessionArchive> read(DSLContext ctx, SessionId id) {
        Optional<Session> session = ctx.selectFrom(SESSIONS).where(SESSIONS.ID.eq(id.value())).fetchOptional()
                .map(ROWS::toSession);
        if (session.isEmpty()) {
            return Optional.empty();
        }
        List<Transition> history = ctx.selectFrom(TRANSITIONS).where(TRANSITIONS.SESSION_ID.eq(id.value()))
                .orderBy(TRANSITIONS.SEQ)
                .fetch(r -> new Transition(id, SessionStatus.valueOf(r.getFromStatus()),
                        SessionStatus.valueOf(r.getToStatus()), r.getChangedAt(), r.getReason(), new Actor(r.getActor())));
        Record counters = ctx.select(ACTIVITY_LOGS.LAST_SEQ, ACTIVITY_LOGS.ACKNOWLEDGED_SEQ).from(ACTIVITY_LOGS)
                .where(ACTIVITY_LOGS.SESSION_ID.eq(id.value())).fetchOne();
        List<Activity> activities = ctx.selectFrom(ACTIVITIES).where(ACTIVITIES.SESSION_ID.eq(id.value()))
                .orderBy(ACTIVITIES.SEQ)
                .fetch(r -> new Activity(id, r.getSeq(), r.getType(), r.getDetails(), r.getOccurredAt()));
        long transcriptLast = ctx.select(TRANSCRIPTS.LAST_SEQ).from(TRANSCRIPTS).where(TRANSCRIPTS.SESSION_ID.eq(id.value()))
                .fetchOptional(TRANSCRIPTS.LAST_SEQ).orElse(0L);
        return Optional.of(new SessionArchive(session.get(), history,
                counters == null ? 0 : counters.get(ACTIVITY_LOGS.LAST_SEQ),
                counters == null ? 0 : counters.get(ACTIVITY_LOGS.ACKNOWLEDGED_SEQ), activities, transcriptLast));
    }

    @Override
    public void restore(SessionArchive archive, List<TranscriptItem> items) {
        Session s = archive.session();
        db.write(ctx -> {
            // ON CONFLICT DO NOTHING: of two imports racing for one session exactly one inserts it, and
            // the other learns so without an error that would abort its transaction.
            int inserted = ctx.insertInto(SESSIONS)
                    .set(SESSIONS.ID, s.id().value()).set(SESSIONS.PROJECT_PATH, s.projectPath())
                    .set(SESSIONS.THREAD_ID, s.threadId()).set(SESSIONS.STATUS, s.status().name())
                    .set(SESSIONS.CREATED_AT, s.createdAt()).set(SESSIONS.UPDATED_AT, s.updatedAt())
                    .set(SESSIONS.VERSION, s.version()).set(SESSIONS.CONTEXT, s.context())
                    .set(SESSIONS.FORKED_FROM_ID, s.forkedFrom().map(f -> f.parentId().value()).orElse(null))
                    .set(SESSIONS.FORKED_FROM_SEQ, s.forkedFrom().map(f -> f.seq()).orElse(null))
                    .set(SESSIONS.PINNED, s.pinned())
                    .onConflict(SESSIONS.ID).doNothing().execute();
            if (inserted == 0) {
                throw new DuplicateSessionException(s.id());
            }
            for (Transition t : archive.history()) {
                ctx.insertInto(TRANSITIONS)
                        .set(TRANSITIONS.SESSION_ID, s.id().value())
                        .set(TRANSITIONS.FROM_STATUS, t.from().name()).set(TRANSITIONS.TO_STATUS, t.to().name())
                        .set(TRANSITIONS.CHANGED_AT, t.at()).set(TRANSITIONS.REASON, t.reason())
                        .set(TRANSITIONS.ACTOR, t.actor().value())
                        .execute();
            }
            if (archive.activityLastSeq() > 0) {
                ctx.insertInto(ACTIVITY_LOGS).set(ACTIVITY_LOGS.SESSION_ID, s.id().value())
                        .set(ACTIVITY_LOGS.LAST_SEQ, archive.activityLastSeq())
                        .set(ACTIVITY_LOGS.ACKNOWLEDGED_SEQ, archive.acknowledgedSeq())
                        .execute();
                for (Activity a : archive.activities()) {
                    ctx.insertInto(ACTIVITIES).set(ACTIVITIES.SESSION_ID, s.id().value()).set(ACTIVITIES.SEQ, a.seq())
                            .set(ACTIVITIES.TYPE, a.type()).set(ACTIVITIES.OCCURRED_AT, a.at())
                            .set(ACTIVITIES.DETAILS, a.details())
                            .execute();
                }
            }
            if (archive.transcriptLastSeq() > 0) {
                ctx.insertInto(TRANSCRIPTS).set(TRANSCRIPTS.SESSION_ID, s.id().value())
                        .set(TRANSCRIPTS.LAST_SEQ, archive.transcriptLastSeq()).execute();
                for (int from = 0; from < items.size(); from += ROWS_PER_INSERT) {
                    var insert = ctx.insertInto(TRANSCRIPT_ITEMS, TRANSCRIPT_ITEMS.SESSION_ID, TRANSCRIPT_ITEMS.SEQ,
                            TRANSCRIPT_ITEMS.ITEM_KEY, TRANSCRIPT_ITEMS.APPENDED_AT, TRANSCRIPT_ITEMS.ITEM);
                    for (TranscriptItem item : items.subList(from, Math.min(items.size(), from + ROWS_PER_INSERT))) {
                        insert = insert.values(s.id().value(), item.seq(), item.key().orElse(null), item.at(), item.json());
                    }
                    insert.execute();
                }
            }
            return null;
        });
    }

    @Override
    public Sizes sizes() {
        return db.read(ctx -> {
            Map<String, Long> byStatus = ctx.select(SESSIONS.STATUS, DSL.count()).from(SESSIONS).groupBy(SESSIONS.STATUS)
                    .fetch().stream().collect(Collectors.toMap(r -> r.value1(), r -> r.value2().longValue()));
            long items = ctx.fetchCount(TRANSCRIPT_ITEMS);
            return new Sizes(byStatus, items, OptionalLong.empty());
        });
    }

    @Override
    public void backup(Path target) {
        throw new StorageException(Reason.UNSUPPORTED, null, "a PostgreSQL store is backed up with the server's own "
                + "tools (pg_dump, or pg_basebackup for the whole cluster), not by this program");
    }
}
