package io.claudesignal.sessions.adapters.jdbc;

import static io.claudesignal.sessions.adapters.jdbc.PrerenderedStatement.param;

import io.claudesignal.sessions.application.port.out.Change;
import io.claudesignal.sessions.application.port.out.InboxRepository;
import io.claudesignal.sessions.application.port.out.WriteContext;
import io.claudesignal.sessions.domain.InboxFullException;
import io.claudesignal.sessions.domain.InboxMessage;
import io.claudesignal.sessions.domain.InboxMessage.State;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.Lease;
import io.claudesignal.sessions.domain.LeaseHeldException;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionStatus;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * The inbox port on any SQL database, each write one transaction of {@link SqlTransactions} that first
 * takes the session's lock ({@link SqlRules#lockExisting}), so that the numbering, the key check, the
 * bound and the taking of a message cannot interleave with another writer in any process, and the
 * fencing lease is read under it. Every statement is a seek on the primary key or an index.
 */
public final class SqlInbox implements InboxRepository {

    private static final List<String> UNHANDLED = List.of(State.WAITING.name(), State.TAKEN.name());

    private final SqlTransactions db;
    private final SqlRules rules;
    private final SqlChangeLog changes;
    private final SqlTables.InboxMessages inbox;
    private final PrerenderedStatement.Once<Hot> hot = new PrerenderedStatement.Once<>(Hot::new);

    public SqlInbox(SqlTransactions db, SqlRules rules, SqlChangeLog changes) {
        this.db = db;
        this.rules = rules;
        this.changes = changes;
        this.inbox = rules.tables().inbox;
    }

    @Override
    public Received receive(SessionId id, String json, String key, int limit, WriteContext write) {
        return db.write(ctx -> {
            hold(ctx, id, write);
            // Statements rendered once (see SqlHotStatements): rendering them per call cost more than SQLite
            // took to run them.
            Hot sql = hot.get(ctx);
            Object session = PrerenderedStatement.db(inbox.sessionId, id.value());
            try {
                // One statement numbers the message, checks the bound and that the key is new: the counter
                // moves only when both hold, and returns the new number (one seek each, however full).
                long seq;
                try (PreparedStatement bump = sql.bump.prepare(ctx, session, (long) limit, key);
                     ResultSet row = bump.executeQuery()) {
                    seq = row.next() ? row.getLong(1) : 0;
                }
                if (seq == 0) { // a known key, a full inbox, or the session's first message
                    Optional<InboxMessage> known = sql.one(sql.byKey, ctx, session, key);
                    if (known.isPresent()) {
                        return new Received(known.get(), false);
                    }
                    try (PreparedStatement start = sql.start.prepare(ctx, session)) {
                        if (start.executeUpdate() == 0) { // the counter is there: the inbox is full
                            throw new InboxFullException(id, limit);
                        }
                    }
                    seq = 1;
                }
                InboxMessage message = new InboxMessage(id, seq, json, key, State.WAITING, write.at());
                try (PreparedStatement insert = sql.insert.prepare(ctx, session, seq, key,
                        PrerenderedStatement.db(inbox.receivedAt, message.receivedAt()), json)) {
                    insert.executeUpdate();
                }
                changes.record(ctx, Change.Entry.of(id, Change.Kind.MESSAGE_RECEIVED, seq, write));
                return new Received(message, true);
            } catch (SQLException e) {
                throw new DataAccessException("receiving a message", e);
            }
        });
    }

    @Override
    public Optional<InboxMessage> next(SessionId id, WriteContext write) {
        return db.write(ctx -> {
            hold(ctx, id, write);
            if (write.fence().isEmpty()) {
                // Unfenced, a handle may take only when no daemon runs the session.
                Instant now = rules.dialect().leaseClock(ctx).orElse(write.at());
                Optional<Lease> stored = rules.findLease(ctx, id).filter(l -> l.isLiveAt(now));
                if (stored.isPresent()) {
                    throw new LeaseHeldException(stored.get());
                }
            }
            Optional<InboxMessage> oldest = ctx.select(inbox.all).from(inbox.table)
                    .where(inbox.sessionId.eq(id.value()).and(inbox.state.eq(State.WAITING.name())))
                    .orderBy(inbox.seq).limit(1)
                    .fetchOptional(inbox::toMessage);
            oldest.ifPresent(m -> ctx.update(inbox.table).set(inbox.state, State.TAKEN.name())
                    .where(inbox.sessionId.eq(id.value()).and(inbox.seq.eq(m.seq()))
                            .and(inbox.state.eq(State.WAITING.name())))
                    .execute());
            return oldest.map(m -> m.withState(State.TAKEN));
        });
    }

    @Override
    public InboxMessage done(SessionId id, long seq, WriteContext write) {
        return db.write(ctx -> {
            hold(ctx, id, write);
            int handled = ctx.update(inbox.table).set(inbox.state, State.DONE.name())
                    .where(inbox.sessionId.eq(id.value()).and(inbox.seq.eq(seq)).and(inbox.state.ne(State.DONE.name())))
                    .execute();
            if (handled > 0) {
                ctx.update(inbox.counters).set(inbox.unhandled, inbox.unhandled.minus(1))
                        .where(inbox.counterSession.eq(id.value())).execute();
            }
            return find(ctx, id, seq)
                    .orElseThrow(() -> new InvalidInputException("seq", "session " + id + " has no message " + seq));
        });
    }

    @Override
    public Optional<InboxMessage> find(SessionId id, long seq) {
        return db.read(ctx -> find(ctx, id, seq));
    }

    private Optional<InboxMessage> find(DSLContext ctx, SessionId id, long seq) {
        return ctx.select(inbox.all).from(inbox.table)
                .where(inbox.sessionId.eq(id.value()).and(inbox.seq.eq(seq)))
                .fetchOptional(inbox::toMessage);
    }

    @Override
    public List<InboxMessage> list(SessionId id, boolean withDone, int limit) {
        return db.read(ctx -> {
            List<InboxMessage> messages = ctx.select(inbox.all).from(inbox.table)
                    .where(inbox.sessionId.eq(id.value()).and(withDone ? DSL.trueCondition() : inbox.state.in(UNHANDLED)))
                    .orderBy(inbox.seq).limit(limit)
                    .fetch(inbox::toMessage);
            if (messages.isEmpty()) {
                rules.requireSession(ctx, id);
            }
            return messages;
        });
    }

    @Override
    public long waiting() {
        return db.read(ctx -> (long) ctx.fetchCount(inbox.table, inbox.state.eq(State.WAITING.name())));
    }

    /**
     * In a crash recovery's transaction: the taken messages of every session that is no longer ACTIVE
     * wait again, since no daemon can finish them (its writes to the session are fenced off).
     */
    static void requeueTaken(DSLContext ctx, SqlTables tables) {
        SqlTables.InboxMessages inbox = tables.inbox;
        SqlTables.Sessions sessions = tables.sessions;
        ctx.update(inbox.table).set(inbox.state, State.WAITING.name())
                .where(inbox.state.eq(State.TAKEN.name()).and(DSL.exists(DSL.selectOne().from(sessions.table)
                        .where(sessions.id.eq(inbox.sessionId)
                                .and(sessions.status.ne(SessionStatus.ACTIVE.name()))))))
                .execute();
    }

    /**
     * In the transaction of a claim that {@linkplain Lease#takesOver takes the session over}, or of a
     * release that {@linkplain Lease#releases ends the holder's lease}: its taken messages wait again.
     */
    static void requeueTaken(DSLContext ctx, SqlTables tables, SessionId id) {
        SqlTables.InboxMessages inbox = tables.inbox;
        ctx.update(inbox.table).set(inbox.state, State.WAITING.name())
                .where(inbox.sessionId.eq(id.value()).and(inbox.state.eq(State.TAKEN.name())))
                .execute();
    }

    private void hold(DSLContext ctx, SessionId id, WriteContext write) {
        rules.lockExisting(ctx, id);
        write.stamp(); // once the session is held: see WriteContext
        rules.admit(ctx, id, write);
    }

    /** The receive's statements, rendered once for this database ({@link PrerenderedStatement}). */
    private final class Hot {
        final PrerenderedStatement bump;
        final PrerenderedStatement start;
        final PrerenderedStatement byKey;
        final PrerenderedStatement insert;

        Hot(DSLContext render) {
            bump = PrerenderedStatement.render(render.update(inbox.counters)
                    .set(inbox.lastSeq, inbox.lastSeq.plus(DSL.inline(1L)))
                    .set(inbox.unhandled, inbox.unhandled.plus(DSL.inline(1L)))
                    .where(inbox.counterSession.eq(param("id", inbox.counterSession))
                            .and(inbox.unhandled.lt(param("limit", inbox.unhandled)))
                            .and(DSL.notExists(DSL.selectOne().from(inbox.table)
                                    .where(inbox.sessionId.eq(param("id", inbox.sessionId))
                                            .and(inbox.key.eq(param("key", inbox.key)))))))
                    .returning(inbox.lastSeq), "id", "limit", "key");
            // The first message of a session: its counter starts at 1 (a counter already there means a full inbox).
            start = PrerenderedStatement.render(render.insertInto(inbox.counters)
                    .set(inbox.counterSession, param("id", inbox.counterSession))
                    .set(inbox.lastSeq, DSL.inline(1L))
                    .set(inbox.unhandled, DSL.inline(1L))
                    .onConflict(inbox.counterSession).doNothing(), "id");
            byKey = PrerenderedStatement.render(render.select(inbox.all).from(inbox.table)
                    .where(inbox.sessionId.eq(param("id", inbox.sessionId)).and(inbox.key.eq(param("key", inbox.key)))),
                    "id", "key");
            insert = PrerenderedStatement.render(render.insertInto(inbox.table, inbox.sessionId, inbox.seq, inbox.key,
                            inbox.state, inbox.receivedAt, inbox.message)
                    .values(param("id", inbox.sessionId), param("seq", inbox.seq), param("key", inbox.key),
                            DSL.inline(State.WAITING.name()), param("at", inbox.receivedAt), param("message", inbox.message)),
                    "id", "seq", "key", "at", "message");
        }

        /** Runs {@code sql}, which yields at most one whole row ({@code inbox.all}, in its order). */
        Optional<InboxMessage> one(PrerenderedStatement sql, DSLContext ctx, Object... values) throws SQLException {
            try (PreparedStatement statement = sql.prepare(ctx, values); ResultSet r = statement.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(new InboxMessage(new SessionId(PrerenderedStatement.read(r, 1, inbox.sessionId)),
                        r.getLong(2), r.getString(6), r.getString(3), State.valueOf(r.getString(4)),
                        PrerenderedStatement.read(r, 5, inbox.receivedAt)));
            }
        }
    }
}
