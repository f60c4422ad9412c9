package io.claudesignal.sessions.adapters.jdbc;

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
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record2;
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
            Optional<InboxMessage> known = ctx.select(inbox.all).from(inbox.table)
                    .where(inbox.sessionId.eq(id.value()).and(inbox.key.eq(key)))
                    .fetchOptional(inbox::toMessage);
            if (known.isPresent()) {
                return new Received(known.get(), false);
            }
            // The counter row: numbering and the bound are one seek, however full the inbox is.
            Record2<Long, Long> counter = ctx.select(inbox.lastSeq, inbox.unhandled).from(inbox.counters)
                    .where(inbox.counterSession.eq(id.value())).fetchOne();
            if (counter != null && counter.value2() >= limit) {
                throw new InboxFullException(id, limit);
            }
            long seq = (counter == null ? 0 : counter.value1()) + 1;
            if (counter == null) {
                ctx.insertInto(inbox.counters, inbox.counterSession, inbox.lastSeq, inbox.unhandled)
                        .values(id.value(), seq, 1L).execute();
            } else {
                ctx.update(inbox.counters).set(inbox.lastSeq, seq).set(inbox.unhandled, inbox.unhandled.plus(1))
                        .where(inbox.counterSession.eq(id.value())).execute();
            }
            InboxMessage message = new InboxMessage(id, seq, json, key, State.WAITING, write.at());
            ctx.insertInto(inbox.table, inbox.sessionId, inbox.seq, inbox.key, inbox.state, inbox.receivedAt, inbox.message)
                    .values(id.value(), seq, key, State.WAITING.name(), message.receivedAt(), json)
                    .execute();
            changes.record(ctx, Change.Entry.of(id, Change.Kind.MESSAGE_RECEIVED, seq, write));
            return new Received(message, true);
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

    private void hold(DSLContext ctx, SessionId id, WriteContext write) {
        rules.lockExisting(ctx, id);
        write.stamp(); // once the session is held: see WriteContext
        rules.admit(ctx, id, write);
    }
}
