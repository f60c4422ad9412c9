package io.claudesignal.sessions.adapters.postgres;

import io.claudesignal.sessions.adapters.jdbc.SqlRules;
import static io.claudesignal.sessions.adapters.postgres.jooq.Tables.SESSIONS;
import static io.claudesignal.sessions.adapters.postgres.jooq.Tables.TRANSCRIPTS;
import static io.claudesignal.sessions.adapters.postgres.jooq.Tables.TRANSCRIPT_ITEMS;
import static io.claudesignal.sessions.adapters.postgres.jooq.Tables.TRANSITIONS;

import io.claudesignal.sessions.adapters.postgres.jooq.tables.records.TranscriptItemsRecord;
import io.claudesignal.sessions.domain.DuplicateSessionException;
import io.claudesignal.sessions.application.port.out.TranscriptRepository;
import io.claudesignal.sessions.application.port.out.Change;
import io.claudesignal.sessions.application.port.out.WriteContext;
import io.claudesignal.sessions.domain.ForkOrigin;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.TranscriptItem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * The transcripts on one PostgreSQL schema. Every write is one transaction that first locks the
 * session's row ({@code SELECT … FOR UPDATE}), as every other write to a session does: the counter,
 * the rows and the key check cannot interleave with another writer on any host, and the fencing lease
 * is read under the same lock. Every statement is a seek on a primary key or on the
 * {@code (session_id, item_key)} index: the cost does not depend on the transcript's length.
 */
final class PostgresTranscriptRepository implements TranscriptRepository {

    /** The shared rules of the SQL core: existence, row locks and fencing, read in the write's transaction. */
    private static final SqlRules RULES = new SqlRules(PostgresDialect.INSTANCE);

    /** Rows per INSERT: 5 parameters each, far under SQLite's 32,766 and PostgreSQL's 65,535. */
    private static final int ROWS_PER_INSERT = 1000;

    private final PostgresDatabase db;

    private final PostgresChangeLog changes;

    PostgresTranscriptRepository(PostgresDatabase db, PostgresChangeLog changes) {
        this.db = db;
        this.changes = changes;
    }

    @Override
    public Appended append(SessionId id, List<String> itemsJson, Optional<String> key, WriteContext write) {
        UUID uuid = id.value();
        return db.write(ctx -> {
            RULES.lock(ctx, id).orElseThrow(() -> new SessionNotFoundException(id));
            RULES.admit(ctx, id, write);
            if (key.isPresent()) {
                Optional<TranscriptItem> existing = ctx.selectFrom(TRANSCRIPT_ITEMS)
                        .where(TRANSCRIPT_ITEMS.SESSION_ID.eq(uuid).and(TRANSCRIPT_ITEMS.ITEM_KEY.eq(key.get())))
                        .fetchOptional(PostgresTranscriptRepository::toItem);
                if (existing.isPresent()) {
                    return new Appended(List.of(existing.get()), false);
                }
            }
            long n = itemsJson.size();
            long last = ctx.insertInto(TRANSCRIPTS)
                    .set(TRANSCRIPTS.SESSION_ID, uuid)
                    .set(TRANSCRIPTS.LAST_SEQ, n)
                    .onConflict(TRANSCRIPTS.SESSION_ID).doUpdate()
                    .set(TRANSCRIPTS.LAST_SEQ, TRANSCRIPTS.LAST_SEQ.plus(n))
                    .returning(TRANSCRIPTS.LAST_SEQ)
                    .fetchOne(TRANSCRIPTS.LAST_SEQ);
            List<TranscriptItem> appended = new ArrayList<>(itemsJson.size());
            long seq = last - n;
            for (String json : itemsJson) {
                appended.add(new TranscriptItem(id, ++seq, json, key, write.at()));
            }
            // Multi-row INSERTs, in chunks that stay under the database's limit of bound parameters.
            for (int from = 0; from < appended.size(); from += ROWS_PER_INSERT) {
                var insert = ctx.insertInto(TRANSCRIPT_ITEMS, TRANSCRIPT_ITEMS.SESSION_ID, TRANSCRIPT_ITEMS.SEQ,
                        TRANSCRIPT_ITEMS.ITEM_KEY, TRANSCRIPT_ITEMS.APPENDED_AT, TRANSCRIPT_ITEMS.ITEM);
                for (TranscriptItem item : appended.subList(from, Math.min(from + ROWS_PER_INSERT, appended.size()))) {
                    insert = insert.values(uuid, item.seq(), key.orElse(null), item.at(), item.json());
                }
                insert.execute();
            }
            changes.record(ctx, Change.Entry.transcript(id, appended.get(appended.size() - 1).seq(), appended.size(), 0,
                    write));
            return new Appended(appended, true);
        });
    }

    @Override
    public List<TranscriptItem> tail(SessionId id, int limit) {
        return db.read(ctx -> {
            List<TranscriptItem> newest = new ArrayList<>(ctx.selectFrom(TRANSCRIPT_ITEMS)
                    .where(TRANSCRIPT_ITEMS.SESSION_ID.eq(id.value()))
                    .orderBy(TRANSCRIPT_ITEMS.SEQ.desc())
                    .limit(limit)
                    .fetch(PostgresTranscriptRepository::toItem));
            Collections.reverse(newest);
            return ofExistingSession(ctx, id, newest);
        });
    }

    @Override
    public List<TranscriptItem> after(SessionId id, long afterSeq, int limit) {
        return db.read(ctx -> ofExistingSession(ctx, id, ctx.selectFrom(TRANSCRIPT_ITEMS)
                .where(TRANSCRIPT_ITEMS.SESSION_ID.eq(id.value()).and(TRANSCRIPT_ITEMS.SEQ.gt(afterSeq)))
                .orderBy(TRANSCRIPT_ITEMS.SEQ)
                .limit(limit)
                .fetch(PostgresTranscriptRepository::toItem)));
    }

    @Override
    public Optional<TranscriptItem> popLast(SessionId id, WriteContext write) {
        return db.write(ctx -> {
            RULES.lock(ctx, id).orElseThrow(() -> new SessionNotFoundException(id));
            RULES.admit(ctx, id, write);
            Optional<TranscriptItem> last = ctx.selectFrom(TRANSCRIPT_ITEMS)
                    .where(TRANSCRIPT_ITEMS.SESSION_ID.eq(id.value()))
                    .orderBy(TRANSCRIPT_ITEMS.SEQ.desc())
                    .limit(1)
                    .fetchOptional(PostgresTranscriptRepository::toItem);
            last.ifPresent(item -> {
                ctx.deleteFrom(TRANSCRIPT_ITEMS)
                        .where(TRANSCRIPT_ITEMS.SESSION_ID.eq(id.value()).and(TRANSCRIPT_ITEMS.SEQ.eq(item.seq())))
                        .execute();
                changes.record(ctx, Change.Entry.transcript(id, 0, 0, 1, write));
            });
            return last;
        });
    }

    @Override
    public long clear(SessionId id, WriteContext write) {
        return db.write(ctx -> {
            RULES.lock(ctx, id).orElseThrow(() -> new SessionNotFoundException(id));
            RULES.admit(ctx, id, write);
            // The counter row stays: the next item takes the next number.
            long removed = ctx.deleteFrom(TRANSCRIPT_ITEMS).where(TRANSCRIPT_ITEMS.SESSION_ID.eq(id.value())).execute();
            if (removed > 0) {
                changes.record(ctx, Change.Entry.transcript(id, 0, 0, removed, write));
            }
            return removed;
        });
    }

    @Override
    public long count(SessionId id) {
        return db.read(ctx -> {
            long count = ctx.fetchCount(TRANSCRIPT_ITEMS, TRANSCRIPT_ITEMS.SESSION_ID.eq(id.value()));
            if (count == 0) {
                RULES.requireSession(ctx, id);
            }
            return count;
        });
    }

    @Override
    public Session fork(Session child, WriteContext write) {
        ForkOrigin origin = child.forkedFrom().orElseThrow(() -> new IllegalArgumentException("not a fork"));
        UUID parent = origin.parentId().value();
        UUID childId = child.id().value();
        long through = origin.seq();
        return db.write(ctx -> {
            // Locked: no append or pop of the parent's can slip between the check and the copy.
            String context = ctx.select(SESSIONS.CONTEXT).from(SESSIONS).where(SESSIONS.ID.eq(parent)).forUpdate()
                    .fetchOptional(SESSIONS.CONTEXT).orElseThrow(() -> new SessionNotFoundException(origin.parentId()));
            long newest = ctx.select(DSL.max(TRANSCRIPT_ITEMS.SEQ)).from(TRANSCRIPT_ITEMS)
                    .where(TRANSCRIPT_ITEMS.SESSION_ID.eq(parent))
                    .fetchOptional(0, Long.class).orElse(0L);
            if (through > newest) {
                throw new InvalidInputException("throughSeq", "is past the newest item of " + origin.parentId()
                        + " (" + newest + "), was " + through);
            }
            if (ctx.fetchExists(DSL.selectOne().from(SESSIONS).where(SESSIONS.ID.eq(childId)))) {
                throw new DuplicateSessionException(child.id());
            }
            Session stored = new Session(child.id(), child.projectPath(), child.threadId(), SessionStatus.CREATED,
                    context, child.createdAt(), child.updatedAt(), 1, child.forkedFrom());
            // The context is copied inside the database: a large one is not bound back in.
            ctx.insertInto(SESSIONS, SESSIONS.ID, SESSIONS.PROJECT_PATH, SESSIONS.THREAD_ID, SESSIONS.STATUS,
                            SESSIONS.CREATED_AT, SESSIONS.UPDATED_AT, SESSIONS.VERSION, SESSIONS.CONTEXT,
                            SESSIONS.FORKED_FROM_ID, SESSIONS.FORKED_FROM_SEQ)
                    .select(DSL.select(DSL.val(childId, SESSIONS.ID), SESSIONS.PROJECT_PATH, SESSIONS.THREAD_ID,
                                    DSL.val(SessionStatus.CREATED.name()), DSL.val(stored.createdAt(), SESSIONS.CREATED_AT),
                                    DSL.val(stored.updatedAt(), SESSIONS.UPDATED_AT), DSL.val(1L), SESSIONS.CONTEXT,
                                    SESSIONS.ID, DSL.val(through, SESSIONS.FORKED_FROM_SEQ))
                            .from(SESSIONS).where(SESSIONS.ID.eq(parent)))
                    .execute();
            ctx.insertInto(TRANSCRIPTS).set(TRANSCRIPTS.SESSION_ID, childId).set(TRANSCRIPTS.LAST_SEQ, through).execute();
            // One INSERT ... SELECT: the rows never leave the database.
            ctx.insertInto(TRANSCRIPT_ITEMS, TRANSCRIPT_ITEMS.SESSION_ID, TRANSCRIPT_ITEMS.SEQ, TRANSCRIPT_ITEMS.ITEM_KEY,
                            TRANSCRIPT_ITEMS.APPENDED_AT, TRANSCRIPT_ITEMS.ITEM)
                    .select(DSL.select(DSL.val(childId, TRANSCRIPT_ITEMS.SESSION_ID), TRANSCRIPT_ITEMS.SEQ,
                                    TRANSCRIPT_ITEMS.ITEM_KEY, TRANSCRIPT_ITEMS.APPENDED_AT, TRANSCRIPT_ITEMS.ITEM)
                            .from(TRANSCRIPT_ITEMS)
                            .where(TRANSCRIPT_ITEMS.SESSION_ID.eq(parent).and(TRANSCRIPT_ITEMS.SEQ.le(through))))
                    .execute();
            ctx.insertInto(TRANSITIONS)
                    .set(TRANSITIONS.SESSION_ID, childId)
                    .set(TRANSITIONS.FROM_STATUS, SessionStatus.CREATED.name())
                    .set(TRANSITIONS.TO_STATUS, SessionStatus.CREATED.name())
                    .set(TRANSITIONS.CHANGED_AT, write.at())
                    .set(TRANSITIONS.REASON, write.reason())
                    .set(TRANSITIONS.ACTOR, write.actor().value())
                    .execute();
            changes.record(ctx, Change.Entry.of(child.id(), Change.Kind.FORKED, write));
            return stored;
        });
    }

    private static List<TranscriptItem> ofExistingSession(DSLContext ctx, SessionId id, List<TranscriptItem> rows) {
        if (rows.isEmpty()) {
            RULES.requireSession(ctx, id);
        }
        return List.copyOf(rows);
    }

    private static TranscriptItem toItem(TranscriptItemsRecord r) {
        return new TranscriptItem(new SessionId(r.getSessionId()), r.getSeq(), r.getItem(),
                Optional.ofNullable(r.getItemKey()), r.getAppendedAt());
    }
}
