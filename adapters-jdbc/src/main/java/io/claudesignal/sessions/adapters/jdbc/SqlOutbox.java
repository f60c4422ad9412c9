package io.claudesignal.sessions.adapters.jdbc;

import static io.claudesignal.sessions.adapters.jdbc.PrerenderedStatement.param;

import io.claudesignal.sessions.application.port.out.Change;
import io.claudesignal.sessions.application.port.out.OutboxRepository;
import io.claudesignal.sessions.application.port.out.WriteContext;
import io.claudesignal.sessions.domain.Reply;
import io.claudesignal.sessions.domain.Reply.State;
import io.claudesignal.sessions.domain.ReplyNotFoundException;
import io.claudesignal.sessions.domain.SessionId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Select;
import org.jooq.Table;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * The outbox port on any SQL database, each step one transaction of {@link SqlTransactions}. An enqueue
 * takes its session's lock like every write to a session; the senders' steps concern one reply and
 * check its state in the statement that changes it. A claim takes the replies it hands out with
 * {@link WriteLocks#unlockedForWrite} ({@code FOR UPDATE SKIP LOCKED} where writers run side by side),
 * so two senders never take one reply and neither waits for the other.
 */
public final class SqlOutbox implements OutboxRepository {

    private static final List<String> UNSENT = List.of(State.PENDING.name(), State.CLAIMED.name());
    /** As constants in the SQL: SQLite uses the partial index of the unsent replies only for the same terms. */
    private static final List<Field<String>> UNSENT_INLINE = UNSENT.stream().<Field<String>>map(DSL::inline).toList();

    private final SqlTransactions db;
    private final SqlRules rules;
    private final SqlChangeLog changes;
    private final SqlTables.OutboxReplies outbox;
    private final PrerenderedStatement.Once<Hot> hot = new PrerenderedStatement.Once<>(Hot::new);

    public SqlOutbox(SqlTransactions db, SqlRules rules, SqlChangeLog changes) {
        this.db = db;
        this.rules = rules;
        this.changes = changes;
        this.outbox = rules.tables().outbox;
    }

    @Override
    public Enqueued enqueue(SessionId id, String json, String key, WriteContext write) {
        return db.write(ctx -> {
            rules.lockExisting(ctx, id);
            write.stamp(); // once the session is held: see WriteContext
            rules.admit(ctx, id, write);
            // Due by the clock a claim compares with: the database's where lease time comes from it.
            Instant due = rules.dialect().leaseClock(ctx).orElse(write.at());
            // Statements rendered once (see SqlHotStatements): rendering them per call cost more than SQLite
            // took to run them.
            Hot sql = hot.get(ctx);
            Object session = PrerenderedStatement.db(outbox.sessionId, id.value());
            try {
                // One statement checks the key and inserts: a known key inserts nothing and returns no row.
                long replyId = 0;
                try (PreparedStatement insert = sql.insert.prepare(ctx, session, key,
                        PrerenderedStatement.db(outbox.dueAt, due), PrerenderedStatement.db(outbox.queuedAt, write.at()),
                        json)) {
                    if (insert.execute()) { // the number returned by the insert (RETURNING)
                        try (ResultSet row = insert.getResultSet()) {
                            replyId = row.next() ? row.getLong(1) : 0;
                        }
                    } else if (insert.getUpdateCount() > 0) {
                        // Where jOOQ renders no RETURNING (SQLite): the number the database just gave the row.
                        try (PreparedStatement last = sql.idOfInserted.prepare(ctx, session, key);
                             ResultSet row = last.executeQuery()) {
                            row.next();
                            replyId = row.getLong(1);
                        }
                    }
                }
                if (replyId == 0) {
                    Reply known = sql.one(sql.byKey, ctx, session, key).orElseThrow(() -> new IllegalStateException(
                            "reply " + key + " of session " + id + " neither inserted nor found"));
                    return new Enqueued(known, false);
                }
                changes.record(ctx, Change.Entry.of(id, Change.Kind.REPLY_QUEUED, replyId, write));
                return new Enqueued(new Reply(replyId, id, json, key, State.PENDING, 0, due, Optional.empty(),
                        write.at()), true);
            } catch (SQLException e) {
                throw new DataAccessException("enqueueing a reply", e);
            }
        });
    }

    @Override
    public List<Reply> claim(int limit, Duration leaseTime, Clock clock) {
        return db.write(ctx -> {
            Instant now = rules.leaseNow(ctx, clock);
            // Per session in order: a reply waits while an older one of its session is unsent.
            Table<?> older = outbox.table.as("older");
            Field<UUID> olderSession = older.field(outbox.sessionId);
            Field<Long> olderId = older.field(outbox.id);
            Field<String> olderState = older.field(outbox.state);
            Condition due = outbox.state.in(UNSENT_INLINE).and(outbox.dueAt.le(now))
                    .and(DSL.notExists(DSL.selectOne().from(older).where(olderSession.eq(outbox.sessionId)
                            .and(olderState.in(UNSENT)).and(olderId.lt(outbox.id)))));
            List<Long> ids = rules.dialect().writeLocks()
                    .unlockedForWrite(ctx.select(outbox.id).from(outbox.table).where(due).orderBy(outbox.id).limit(limit))
                    .fetch(r -> r.get(outbox.id));
            if (ids.isEmpty()) {
                return List.of();
            }
            ctx.update(outbox.table).set(outbox.state, State.CLAIMED.name()).set(outbox.dueAt, now.plus(leaseTime))
                    .where(outbox.id.in(ids)).execute();
            return ctx.select(outbox.all).from(outbox.table).where(outbox.id.in(ids)).orderBy(outbox.id)
                    .fetch(outbox::toReply);
        });
    }

    @Override
    public Reply sent(long replyId, Clock clock) {
        return db.write(ctx -> {
            Instant now = rules.leaseNow(ctx, clock);
            ctx.update(outbox.table).set(outbox.state, State.SENT.name()).set(outbox.dueAt, now)
                    .where(outbox.id.eq(replyId).and(outbox.state.ne(State.SENT.name()))).execute();
            return existing(ctx, replyId);
        });
    }

    @Override
    public Reply failed(long replyId, String error, Retries retries, Clock clock) {
        return db.write(ctx -> {
            Reply r = rules.dialect().writeLocks()
                    .forWrite(ctx.select(outbox.all).from(outbox.table).where(outbox.id.eq(replyId)))
                    .fetchOptional(outbox::toReply).orElseThrow(() -> new ReplyNotFoundException(replyId));
            if (r.state() != State.CLAIMED) {
                return r; // too late: sent, dead, or due again already
            }
            Instant now = rules.leaseNow(ctx, clock);
            int attempts = r.attempts() + 1;
            boolean dead = attempts >= retries.maxAttempts();
            ctx.update(outbox.table)
                    .set(outbox.state, (dead ? State.DEAD : State.PENDING).name())
                    .set(outbox.attempts, (long) attempts)
                    .set(outbox.dueAt, dead ? now : now.plus(retries.after(attempts)))
                    .set(outbox.lastError, error)
                    .where(outbox.id.eq(replyId).and(outbox.state.eq(State.CLAIMED.name())))
                    .execute();
            return existing(ctx, replyId);
        });
    }

    @Override
    public Reply retry(long replyId, Clock clock) {
        return db.write(ctx -> {
            Instant now = rules.leaseNow(ctx, clock);
            ctx.update(outbox.table).set(outbox.state, State.PENDING.name()).set(outbox.attempts, 0L)
                    .set(outbox.dueAt, now)
                    .where(outbox.id.eq(replyId).and(outbox.state.in(State.DEAD.name(), State.PENDING.name())))
                    .execute();
            return existing(ctx, replyId);
        });
    }

    @Override
    public Optional<Reply> find(long replyId) {
        return db.read(ctx -> ctx.select(outbox.all).from(outbox.table).where(outbox.id.eq(replyId))
                .fetchOptional(outbox::toReply));
    }

    @Override
    public List<Reply> list(Optional<SessionId> session, boolean deadOnly, int limit) {
        return db.read(ctx -> {
            Condition which = deadOnly ? outbox.state.eq(State.DEAD.name()) : outbox.state.ne(State.SENT.name());
            if (session.isPresent()) {
                which = which.and(outbox.sessionId.eq(session.get().value()));
            }
            List<Reply> replies = ctx.select(outbox.all).from(outbox.table).where(which).orderBy(outbox.id).limit(limit)
                    .fetch(outbox::toReply);
            if (replies.isEmpty() && session.isPresent()) {
                rules.requireSession(ctx, session.get());
            }
            return replies;
        });
    }

    @Override
    public Depth depth() {
        return db.read(ctx -> {
            Map<String, Integer> counts = ctx.select(outbox.state, DSL.count()).from(outbox.table)
                    .where(outbox.state.ne(State.SENT.name())).groupBy(outbox.state)
                    .fetchMap(r -> r.value1(), r -> r.value2());
            return new Depth(counts.getOrDefault(State.PENDING.name(), 0) + counts.getOrDefault(State.CLAIMED.name(), 0),
                    counts.getOrDefault(State.DEAD.name(), 0));
        });
    }

    private Reply existing(DSLContext ctx, long replyId) {
        return ctx.select(outbox.all).from(outbox.table).where(outbox.id.eq(replyId))
                .fetchOptional(outbox::toReply).orElseThrow(() -> new ReplyNotFoundException(replyId));
    }

    /** The enqueue's statements, rendered once for this database ({@link PrerenderedStatement}). */
    private final class Hot {
        final PrerenderedStatement insert;
        final PrerenderedStatement byKey;
        final PrerenderedStatement idOfInserted;

        Hot(DSLContext render) {
            // Insert if the key is new in the session (its unique constraint), returning the reply's number.
            insert = PrerenderedStatement.render(render.insertInto(outbox.table, outbox.sessionId, outbox.key,
                            outbox.state, outbox.attempts, outbox.dueAt, outbox.queuedAt, outbox.reply)
                    .values(param("id", outbox.sessionId), param("key", outbox.key), DSL.inline(State.PENDING.name()),
                            DSL.inline(0L), param("due", outbox.dueAt), param("at", outbox.queuedAt), param("reply", outbox.reply))
                    .onConflict(outbox.sessionId, outbox.key).doNothing()
                    .returningResult(outbox.id), "id", "key", "due", "at", "reply");
            // The database's own last inserted number where it keeps one, else the key's unique index.
            idOfInserted = PrerenderedStatement.render(rules.dialect().lastInsertedRowId()
                    .<Select<?>>map(id -> render.select(id))
                    .orElseGet(() -> render.select(outbox.id).from(outbox.table).where(outbox.sessionId
                            .eq(param("id", outbox.sessionId)).and(outbox.key.eq(param("key", outbox.key))))),
                    "id", "key");
            byKey = PrerenderedStatement.render(render.select(outbox.all).from(outbox.table)
                    .where(outbox.sessionId.eq(param("id", outbox.sessionId)).and(outbox.key.eq(param("key", outbox.key)))),
                    "id", "key");
        }

        /** Runs {@code sql}, which yields at most one whole row ({@code outbox.all}, in its order). */
        Optional<Reply> one(PrerenderedStatement sql, DSLContext ctx, Object... values) throws SQLException {
            try (PreparedStatement statement = sql.prepare(ctx, values); ResultSet r = statement.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Reply(r.getLong(1), new SessionId(PrerenderedStatement.read(r, 2, outbox.sessionId)),
                        r.getString(9), r.getString(3), State.valueOf(r.getString(4)), Math.toIntExact(r.getLong(5)),
                        PrerenderedStatement.read(r, 6, outbox.dueAt), Optional.ofNullable(r.getString(7)),
                        PrerenderedStatement.read(r, 8, outbox.queuedAt)));
            }
        }
    }
}
