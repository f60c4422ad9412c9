package io.claudesignal.sessions.adapters.jdbc;

import io.claudesignal.sessions.application.port.out.Change;
import io.claudesignal.sessions.application.port.out.PageRequest;
import io.claudesignal.sessions.application.port.out.Persistence;
import io.claudesignal.sessions.application.port.out.TranscriptRepository;
import io.claudesignal.sessions.application.port.out.SessionRepository;
import io.claudesignal.sessions.application.port.out.WriteContext;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.DuplicateSessionException;
import io.claudesignal.sessions.domain.ForkOrigin;
import io.claudesignal.sessions.domain.IdPrefix;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.SessionSummary;
import io.claudesignal.sessions.domain.StaleVersionException;
import io.claudesignal.sessions.domain.Transition;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * The sessions port on any SQL database, in jOOQ, each write one transaction of {@link SqlTransactions}.
 * What differs by database comes from its {@link SqlDialect}: how a write holds its session
 * ({@link WriteLocks}) and the one statement of a crash recovery that differs. The hot paths run
 * statements rendered once ({@link SqlHotStatements}). {@link #persistence} gives the ports over one
 * database.
 */
public final class SqlSessions implements SessionRepository {

    private final SqlTransactions db;
    private final SqlRules rules;
    private final SqlTables.Sessions sessions;
    private final SqlTables.Leases leases;
    private final SqlTables.Transitions transitions;
    private final SqlChangeLog changes;
    private final SqlLeases leasePort;
    private final SqlActivityLog activityPort;
    private final SqlApprovals approvalPort;

    /**
     * @param names how the adapter knows that a live process runs under a daemon's name
     * @param changes the store-wide change log every write adds to, in its own transaction
     */
    public SqlSessions(SqlTransactions db, SqlDialect dialect, DaemonNames names, SqlChangeLog changes) {
        this.db = db;
        this.changes = changes;
        this.rules = new SqlRules(dialect);
        this.sessions = rules.tables().sessions;
        this.leases = rules.tables().leases;
        this.transitions = rules.tables().transitions;
        this.leasePort = new SqlLeases(db, rules, names);
        this.activityPort = new SqlActivityLog(db, rules, changes);
        // Here, as a status change out of ACTIVE cancels a session's pending approvals in its transaction.
        this.approvalPort = new SqlApprovals(db, rules, changes);
    }

    /** The sessions, leases, activity-log and approvals ports over this database, with the adapter's transcript port. */
    public final Persistence persistence(TranscriptRepository transcripts) {
        return new Persistence(this, leasePort, activityPort, transcripts, changes).withApprovals(approvalPort);
    }

    @Override
    public void insert(Session session, WriteContext write) {
        db.write(ctx -> {
            try {
                rules.hot(ctx).insertSession(ctx, session);
            } catch (SQLException e) {
                throw new DataAccessException("inserting a session", e);
            }
            changes.record(ctx, Change.Entry.of(session.id(), Change.Kind.CREATED, write));
            return null;
        });
    }

    @Override
    public Optional<Session> findById(SessionId id) {
        return db.read(ctx -> {
            SqlHotStatements sql = rules.hot(ctx);
            try {
                return sql.fetchSession(sql.find, ctx, sql.id(id));
            } catch (SQLException e) {
                throw new DataAccessException("reading a session", e);
            }
        });
    }

    @Override
    public List<SessionId> findIdsByPrefix(IdPrefix prefix, int limit) {
        // A range of the primary key (UUID bytes on PostgreSQL, lowercase text on SQLite: the same
        // order), so the lookup reads only the matching ids, never the table.
        return db.read(ctx -> ctx.select(sessions.id).from(sessions.table)
                .where(sessions.id.between(prefix.lowest().value(), prefix.highest().value()))
                .orderBy(sessions.id)
                .limit(limit)
                .fetch(row -> new SessionId(row.value1())));
    }

    @Override
    public List<SessionSummary> findPage(PageRequest request) {
        return db.read(ctx -> {
            SqlHotStatements sql = rules.hot(ctx);
            try {
                return sql.fetchPage(ctx, request);
            } catch (SQLException e) {
                throw new DataAccessException("reading a page of sessions", e);
            }
        });
    }

    @Override
    public Session compareAndSetStatus(SessionId id, SessionStatus expected, SessionStatus target, WriteContext write) {
        return db.write(ctx -> {
            // The session's lock first: it orders the writes to the session, so the time is read after
            // it (and the lease, when fenced, under it).
            rules.lockForWrite(ctx, id);
            write.stamp();
            rules.admit(ctx, id, write);
            SqlHotStatements sql = rules.hot(ctx);
            Optional<Session> changed;
            try {
                // The expected status is also checked by the statement that writes.
                changed = sql.fetchSession(sql.compareAndSet, ctx, target.name(),
                        PrerenderedStatement.db(sessions.updatedAt, write.at()), sql.id(id), expected.name());
            } catch (SQLException e) {
                throw new SessionLockException(id, "changing the status of", e); // the UPDATE takes the row lock
            }
            if (changed.isEmpty()) {
                throw rules.refusal(ctx, id, expected);
            }
            recordStatusChange(ctx, id, expected, target, write);
            changes.record(ctx, Change.Entry.transition(id, expected, target, write));
            return changed.get();
        });
    }

    @Override
    public Updated update(SessionId id, UnaryOperator<Session> change, WriteContext write) {
        return db.write(ctx -> {
            Session current = loadForWrite(ctx, id).orElseThrow(() -> new SessionNotFoundException(id));
            write.stamp(); // under the session's lock (or the single writer), as change reads it
            rules.admit(ctx, id, write);
            Session next = change.apply(current);
            if (next == current) {
                return new Updated(current, current);
            }
            var update = ctx.update(sessions.table)
                    .set(sessions.status, next.status().name())
                    .set(sessions.updatedAt, next.updatedAt())
                    .set(sessions.version, next.version());
            // The same String instance means an untouched context: a status change does not rewrite it.
            if (next.context() != current.context()) {
                update = update.set(sessions.context, next.context());
            }
            int rows = update.where(sessions.id.eq(id.value()).and(sessions.version.eq(current.version()))).execute();
            if (rows == 0) {
                long now = ctx.select(sessions.version).from(sessions.table).where(sessions.id.eq(id.value()))
                        .fetchOptional(sessions.version).orElse(current.version());
                throw new StaleVersionException(id, current.version(), now);
            }
            recordStatusChange(ctx, id, current.status(), next.status(), write);
            changes.record(ctx, next.status() != current.status()
                    ? Change.Entry.transition(id, current.status(), next.status(), write)
                    : Change.Entry.of(id, Change.Kind.CONTEXT_CHANGED, write));
            return new Updated(current, next);
        });
    }

    @Override
    public Session fork(Session child, WriteContext write) {
        ForkOrigin origin = child.forkedFrom().orElseThrow(() -> new IllegalArgumentException("not a fork"));
        UUID parent = origin.parentId().value();
        UUID childId = child.id().value();
        long through = origin.seq();
        // The transcript is copied in the same step: a fork is a session made from another's state.
        SqlTables.Transcripts forkCounters = rules.tables().transcripts;
        SqlTables.TranscriptItems forkItems = rules.tables().transcriptItems;
        return db.write(ctx -> {
            // Locked where rows are locked: no append or pop of the parent's slips between check and copy.
            var read = ctx.select(sessions.context).from(sessions.table).where(sessions.id.eq(parent));
            String context = rules.dialect().writeLocks().forWrite(read).fetchOptional(sessions.context)
                    .orElseThrow(() -> new SessionNotFoundException(origin.parentId()));
            long newest = ctx.select(DSL.max(forkItems.seq)).from(forkItems.table)
                    .where(forkItems.sessionId.eq(parent))
                    .fetchOptional(0, Long.class).orElse(0L);
            if (through > newest) {
                throw new InvalidInputException("throughSeq", "is past the newest item of " + origin.parentId()
                        + " (" + newest + "), was " + through);
            }
            if (ctx.fetchExists(DSL.selectOne().from(sessions.table).where(sessions.id.eq(childId)))) {
                throw new DuplicateSessionException(child.id());
            }
            Session stored = new Session(child.id(), child.projectPath(), child.threadId(), SessionStatus.CREATED,
                    context, child.createdAt(), child.updatedAt(), 1, child.forkedFrom());
            // The context is copied inside the database: a large one is not bound back in.
            ctx.insertInto(sessions.table, sessions.id, sessions.projectPath, sessions.threadId, sessions.status,
                            sessions.createdAt, sessions.updatedAt, sessions.version, sessions.context,
                            sessions.forkedFromId, sessions.forkedFromSeq)
                    .select(DSL.select(DSL.val(childId, sessions.id), sessions.projectPath, sessions.threadId,
                                    DSL.val(SessionStatus.CREATED.name()), DSL.val(stored.createdAt(), sessions.createdAt),
                                    DSL.val(stored.updatedAt(), sessions.updatedAt), DSL.val(1L), sessions.context,
                                    sessions.id, DSL.val(through, sessions.forkedFromSeq))
                            .from(sessions.table).where(sessions.id.eq(parent)))
                    .execute();
            ctx.insertInto(forkCounters.table).set(forkCounters.sessionId, childId).set(forkCounters.lastSeq, through).execute();
            // One INSERT ... SELECT: the rows never leave the database.
            ctx.insertInto(forkItems.table, forkItems.sessionId, forkItems.seq, forkItems.key, forkItems.appendedAt, forkItems.item)
                    .select(DSL.select(DSL.val(childId, forkItems.sessionId), forkItems.seq, forkItems.key, forkItems.appendedAt,
                                    forkItems.item)
                            .from(forkItems.table)
                            .where(forkItems.sessionId.eq(parent).and(forkItems.seq.le(through))))
                    .execute();
            ctx.insertInto(transitions.table)
                    .set(transitions.sessionId, childId)
                    .set(transitions.fromStatus, SessionStatus.CREATED.name())
                    .set(transitions.toStatus, SessionStatus.CREATED.name())
                    .set(transitions.changedAt, write.at())
                    .set(transitions.reason, write.reason())
                    .set(transitions.actor, write.actor().value())
                    .execute();
            changes.record(ctx, Change.Entry.of(child.id(), Change.Kind.FORKED, write));
            return stored;
        });
    }

    @Override
    public void delete(SessionId id, SessionStatus required) {
        db.write(ctx -> {
            // History, lease and activity log go with it (ON DELETE CASCADE).
            int rows = ctx.deleteFrom(sessions.table)
                    .where(sessions.id.eq(id.value()).and(sessions.status.eq(required.name())))
                    .execute();
            if (rows == 0) {
                throw rules.refusal(ctx, id, required);
            }
            return null;
        });
    }

    @Override
    public List<Transition> history(SessionId id) {
        return db.read(ctx -> {
            List<Transition> history = ctx.select(transitions.all).from(transitions.table)
                    .where(transitions.sessionId.eq(id.value()))
                    .orderBy(transitions.seq)
                    .fetch(r -> transitions.toTransition(id, r));
            if (history.isEmpty()) {
                rules.requireSession(ctx, id);
            }
            return history;
        });
    }

    @Override
    public List<Transition> recoverAbandoned(Clock clock, Duration grace, Actor actor) {
        return db.write(ctx -> {
            // Lease time read once the write holds what it needs (the database, or nothing yet: the
            // dialect locks the rows it recovers).
            Instant now = rules.leaseNow(ctx, clock);
            Condition abandoned = sessions.status.eq(SessionStatus.ACTIVE.name()).and(DSL.or(
                    DSL.notExists(DSL.selectOne().from(leases.table).where(leases.sessionId.eq(sessions.id)))
                            .and(sessions.updatedAt.le(now.minus(grace))),
                    DSL.exists(DSL.selectOne().from(leases.table)
                            .where(leases.sessionId.eq(sessions.id).and(leases.expiresAt.le(now))))));
            List<UUID> recovered = rules.dialect().pauseAbandoned(ctx, sessions, abandoned, now).stream().sorted()
                    .toList();
            SqlInbox.requeueTaken(ctx, rules.tables()); // in this transaction: see SqlInbox
            if (recovered.isEmpty()) {
                return List.of();
            }
            WriteContext write = new WriteContext(now, actor, Transition.CRASH_RECOVERY, Optional.empty());
            SqlHotStatements sql = rules.hot(ctx);
            try (PreparedStatement insert = sql.insertTransition.prepare(ctx, transitionValues(sql, recovered.get(0),
                    write))) {
                // One statement, bound again for each recovered session.
                insert.addBatch();
                for (UUID uuid : recovered.subList(1, recovered.size())) {
                    sql.insertTransition.bind(insert, transitionValues(sql, uuid, write));
                    insert.addBatch();
                }
                insert.executeBatch();
            } catch (SQLException e) {
                throw new DataAccessException("recording recovered sessions", e);
            }
            // Leases live only on ACTIVE sessions: those left are the recovered sessions' expired ones.
            // Found through the (small) lease table rather than bound as a list of every recovered id,
            // whose rendering and binding cost more than the recovery's UPDATE (measured: 10,000 ids).
            ctx.deleteFrom(leases.table).where(DSL.exists(DSL.selectOne().from(sessions.table)
                    .where(sessions.id.eq(leases.sessionId).and(sessions.status.ne(SessionStatus.ACTIVE.name())))))
                    .execute();
            approvalPort.cancelPendingOfLeftSessions(ctx, now, actor);
            List<Transition> made = recovered.stream()
                    .map(uuid -> new Transition(new SessionId(uuid), SessionStatus.ACTIVE, SessionStatus.PAUSED, now,
                            Transition.CRASH_RECOVERY, actor))
                    .toList();
            changes.recordAll(ctx, made.stream()
                    .map(t -> Change.Entry.transition(t.sessionId(), t.from(), t.to(), write)).toList());
            return made;
        });
    }

    private static Object[] transitionValues(SqlHotStatements sql, UUID session, WriteContext write) {
        return new Object[] {sql.id(new SessionId(session)), SessionStatus.ACTIVE.name(), SessionStatus.PAUSED.name(),
                sql.changedAt(write.at()), write.reason(), write.actor().value()};
    }

    /** The whole session, read to be changed in this transaction (held, where the database locks rows). */
    private Optional<Session> loadForWrite(DSLContext ctx, SessionId id) {
        SqlHotStatements sql = rules.hot(ctx);
        try {
            return sql.fetchSession(sql.findForWrite, ctx, sql.id(id));
        } catch (SQLException e) {
            throw new SessionLockException(id, "locking", e);
        }
    }

    /** The history entry and lease rule of a status change, in the transaction that made it. */
    private void recordStatusChange(DSLContext ctx, SessionId id, SessionStatus from, SessionStatus to,
            WriteContext write) {
        SqlHotStatements sql = rules.hot(ctx);
        Object idValue = sql.id(id);
        try {
            if (to != SessionStatus.ACTIVE) {
                try (PreparedStatement drop = sql.dropLease.prepare(ctx, idValue)) {
                    drop.executeUpdate();
                }
                if (from == SessionStatus.ACTIVE) {
                    approvalPort.cancelPending(ctx, id, write);
                }
            }
            if (from != to) {
                try (PreparedStatement insert = sql.insertTransition.prepare(ctx, idValue, from.name(), to.name(),
                        sql.changedAt(write.at()),
                        write.reason(), write.actor().value())) {
                    insert.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new DataAccessException("recording a status change", e);
        }
    }
}
