package io.claudesignal.sessions.adapters.jdbc;

import static io.claudesignal.sessions.adapters.jdbc.PrerenderedStatement.param;

import io.claudesignal.sessions.application.port.out.ApprovalRepository;
import io.claudesignal.sessions.application.port.out.Change;
import io.claudesignal.sessions.application.port.out.WriteContext;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Approval;
import io.claudesignal.sessions.domain.ApprovalId;
import io.claudesignal.sessions.domain.ApprovalNotFoundException;
import io.claudesignal.sessions.domain.IdPrefix;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.StatusMismatchException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * The approvals port on any SQL database, each write one transaction of {@link SqlTransactions}. Every
 * write takes the session's lock first ({@link SqlRules#lock}), as every other write to the session
 * does: a request, a decision and the status change that cancels are ordered by it, and so are their
 * rows in the change log. A decision is written by an UPDATE that checks the row is still PENDING and
 * before its deadline; "now" is lease time ({@link SqlRules#leaseNow}: the server's clock where it
 * comes from the server). {@link #cancelPending} and {@link #cancelPendingOfLeftSessions} are the
 * sessions port's part: the status change out of ACTIVE runs them in its own transaction.
 */
public final class SqlApprovals implements ApprovalRepository {

    private final SqlTransactions db;
    private final SqlRules rules;
    private final SqlChangeLog changes;
    private final SqlTables.Approvals a;
    private final SqlTables.Sessions sessions;
    /** Runs in every transition out of ACTIVE: rendered once (see SqlHotStatements for why). */
    private final PrerenderedStatement.Once<PrerenderedStatement> cancel;
    private final PrerenderedStatement.Once<Hot> hot = new PrerenderedStatement.Once<>(Hot::new);

    public SqlApprovals(SqlTransactions db, SqlRules rules, SqlChangeLog changes) {
        this.db = db;
        this.rules = rules;
        this.changes = changes;
        this.a = rules.tables().approvals;
        this.sessions = rules.tables().sessions;
        this.cancel = new PrerenderedStatement.Once<>(render -> PrerenderedStatement.render(
                cancelling(render, param("at", a.decidedAt), param("by", a.decidedBy))
                        .where(a.sessionId.eq(param("id", a.sessionId))
                                .and(a.state.eq(DSL.inline(Approval.State.PENDING.name())))),
                "at", "by", "id"));
    }

    @Override
    public Requested request(ApprovalId id, SessionId sessionId, String request, String key, Duration timeout,
            WriteContext write, Clock clock) {
        return db.write(ctx -> {
            SessionStatus status = rules.lock(ctx, sessionId).orElseThrow(() -> new SessionNotFoundException(sessionId));
            write.stamp(); // once the session is held: see WriteContext
            rules.admit(ctx, sessionId, write);
            Instant now = rules.leaseNow(ctx, clock);
            // Statements rendered once: rendering them per call cost more than SQLite took to run them.
            Hot sql = hot.get(ctx);
            Object session = PrerenderedStatement.db(a.sessionId, sessionId.value());
            try {
                Optional<Approval> known = sql.one(sql.byKey, ctx, session, key);
                if (known.isPresent()) {
                    return new Requested(known.get().asOf(now), false);
                }
                if (status != SessionStatus.ACTIVE) {
                    throw new StatusMismatchException(sessionId, SessionStatus.ACTIVE, status);
                }
                // Under the session's lock (or the single writer): nobody numbers in between.
                long seq;
                try (PreparedStatement newest = sql.newest.prepare(ctx, session); ResultSet row = newest.executeQuery()) {
                    seq = (row.next() ? row.getLong(1) : 0) + 1; // getLong: 0 for the NULL of no row yet
                }
                Approval approval = Approval.requested(id, sessionId, seq, key, request, write.actor(), now, timeout);
                try (PreparedStatement insert = sql.insert.prepare(ctx, PrerenderedStatement.db(a.id, id.value()), session,
                        seq, key, write.actor().value(), PrerenderedStatement.db(a.requestedAt, approval.requestedAt()),
                        PrerenderedStatement.db(a.expiresAt, approval.expiresAt()), request)) {
                    insert.executeUpdate();
                }
                changes.record(ctx, Change.Entry.of(sessionId, Change.Kind.APPROVAL_REQUESTED, seq, write));
                return new Requested(approval, true);
            } catch (SQLException e) {
                throw new DataAccessException("requesting an approval", e);
            }
        });
    }

    @Override
    public Decided decide(ApprovalId id, Approval.Decision decision, Actor actor, Optional<String> note,
            WriteContext write, Clock clock) {
        return db.write(ctx -> {
            SessionId sessionId = ctx.select(a.sessionId).from(a.table).where(a.id.eq(id.value()))
                    .fetchOptional(a.sessionId).map(SessionId::new).orElseThrow(() -> new ApprovalNotFoundException(id));
            if (rules.lock(ctx, sessionId).isEmpty()) {
                throw new ApprovalNotFoundException(id); // deleted with its session meanwhile
            }
            write.stamp();
            Instant now = rules.leaseNow(ctx, clock);
            Approval stored = ctx.select(a.all).from(a.table).where(a.id.eq(id.value())).fetchSingle(a::toApproval);
            boolean pending = stored.isPendingAt(now);
            Approval decided = stored.decide(decision, actor, note, now); // a conflicting decision throws here
            if (!pending) {
                return new Decided(decided, false);
            }
            // The state is checked again by the statement that writes.
            int rows = ctx.update(a.table)
                    .set(a.state, decided.state().name()).set(a.decidedAt, now).set(a.decidedBy, actor.value())
                    .set(a.note, note.orElse(null))
                    .where(a.id.eq(id.value()).and(a.state.eq(Approval.State.PENDING.name())).and(a.expiresAt.gt(now)))
                    .execute();
            if (rows == 0) {
                throw new IllegalStateException("approval " + id + " changed under its session's lock");
            }
            changes.record(ctx, Change.Entry.of(sessionId, Change.Kind.APPROVAL_DECIDED, stored.seq(), write));
            return new Decided(decided, true);
        });
    }

    @Override
    public Optional<Approval> find(ApprovalId id, Clock clock) {
        return db.read(ctx -> {
            Instant now = rules.leaseNow(ctx, clock);
            return ctx.select(a.all).from(a.table).where(a.id.eq(id.value())).fetchOptional(a::toApproval)
                    .map(found -> found.asOf(now));
        });
    }

    @Override
    public Optional<Approval> findBySeq(SessionId sessionId, long seq, Clock clock) {
        return db.read(ctx -> {
            Instant now = rules.leaseNow(ctx, clock);
            return ctx.select(a.all).from(a.table).where(a.sessionId.eq(sessionId.value()).and(a.seq.eq(seq)))
                    .fetchOptional(a::toApproval).map(found -> found.asOf(now));
        });
    }

    @Override
    public List<Approval> pending(Optional<SessionId> sessionId, Clock clock) {
        return db.read(ctx -> {
            Instant now = rules.leaseNow(ctx, clock);
            Condition pending = a.state.eq(Approval.State.PENDING.name()).and(a.expiresAt.gt(now));
            if (sessionId.isEmpty()) {
                return ctx.select(a.all).from(a.table).where(pending).orderBy(a.requestedAt, a.id)
                        .fetch(a::toApproval);
            }
            List<Approval> found = ctx.select(a.all).from(a.table)
                    .where(a.sessionId.eq(sessionId.get().value()).and(pending)).orderBy(a.seq)
                    .fetch(a::toApproval);
            if (found.isEmpty()) {
                rules.requireSession(ctx, sessionId.get());
            }
            return found;
        });
    }

    @Override
    public List<Approval> all(SessionId sessionId, Clock clock) {
        return db.read(ctx -> {
            Instant now = rules.leaseNow(ctx, clock);
            List<Approval> found = ctx.select(a.all).from(a.table).where(a.sessionId.eq(sessionId.value()))
                    .orderBy(a.seq).fetch(r -> a.toApproval(r).asOf(now));
            if (found.isEmpty()) {
                rules.requireSession(ctx, sessionId);
            }
            return found;
        });
    }

    @Override
    public List<Approval> recent(int limit, Clock clock) {
        return db.read(ctx -> {
            Instant now = rules.leaseNow(ctx, clock);
            return ctx.select(a.all).from(a.table).orderBy(a.requestedAt.desc(), a.id.desc()).limit(limit)
                    .fetch(r -> a.toApproval(r).asOf(now));
        });
    }

    @Override
    public List<ApprovalId> findIdsByPrefix(IdPrefix prefix, int limit) {
        // A range of the primary key, as for sessions (UUID bytes and lowercase text sort alike).
        return db.read(ctx -> ctx.select(a.id).from(a.table)
                .where(a.id.between(prefix.lowest().value(), prefix.highest().value()))
                .orderBy(a.id).limit(limit)
                .fetch(row -> new ApprovalId(row.value1())));
    }

    /**
     * Cancels the session's pending approvals at {@code write.at()} (those already past their deadline
     * become EXPIRED at it): part of the status change that takes the session out of ACTIVE, in its
     * transaction, under its lock.
     */
    void cancelPending(DSLContext ctx, SessionId sessionId, WriteContext write) {
        PrerenderedStatement sql = cancel.get(ctx);
        Object at = PrerenderedStatement.db(a.decidedAt, write.at());
        // The "at" parameter appears several times; PrerenderedStatement binds each occurrence by name.
        try (PreparedStatement statement = sql.prepare(ctx, at, write.actor().value(),
                PrerenderedStatement.db(a.sessionId, sessionId.value()))) {
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new DataAccessException("cancelling the pending approvals of " + sessionId, e);
        }
    }

    /**
     * Cancels the pending approvals of every session that is no longer ACTIVE: a crash recovery's part,
     * after it paused its sessions in its transaction. Pending approvals exist only on ACTIVE sessions
     * otherwise, so this touches only the recovered sessions' (found through the pending ones, few).
     */
    void cancelPendingOfLeftSessions(DSLContext ctx, Instant at, Actor by) {
        cancelling(ctx, DSL.val(at, a.decidedAt), DSL.val(by.value(), a.decidedBy))
                .where(a.state.eq(Approval.State.PENDING.name()).and(DSL.exists(DSL.selectOne().from(sessions.table)
                        .where(sessions.id.eq(a.sessionId).and(sessions.status.ne(SessionStatus.ACTIVE.name()))))))
                .execute();
    }

    /** The SET of a cancellation at {@code at} by {@code by}: an approval already past its deadline expired instead. */
    private org.jooq.UpdateSetMoreStep<?> cancelling(DSLContext ctx, Field<Instant> at, Field<String> by) {
        Condition expired = a.expiresAt.le(at);
        return ctx.update(a.table)
                .set(a.state, DSL.when(expired, DSL.inline(Approval.State.EXPIRED.name()))
                        .otherwise(DSL.inline(Approval.State.CANCELLED.name())))
                .set(a.decidedAt, DSL.when(expired, a.expiresAt).otherwise(at))
                .set(a.decidedBy, DSL.when(expired, DSL.castNull(a.decidedBy)).otherwise(by));
    }

    /** The request's statements, rendered once for this database ({@link PrerenderedStatement}). */
    private final class Hot {
        final PrerenderedStatement byKey;
        final PrerenderedStatement newest;
        final PrerenderedStatement insert;

        Hot(DSLContext render) {
            byKey = PrerenderedStatement.render(render.select(a.all).from(a.table)
                    .where(a.sessionId.eq(param("id", a.sessionId)).and(a.key.eq(param("key", a.key)))), "id", "key");
            newest = PrerenderedStatement.render(render.select(DSL.max(a.seq)).from(a.table)
                    .where(a.sessionId.eq(param("id", a.sessionId))), "id");
            insert = PrerenderedStatement.render(render.insertInto(a.table, a.id, a.sessionId, a.seq, a.key, a.state,
                            a.requestedBy, a.requestedAt, a.expiresAt, a.request)
                    .values(param("id", a.id), param("session", a.sessionId), param("seq", a.seq), param("key", a.key),
                            DSL.inline(Approval.State.PENDING.name()), param("by", a.requestedBy),
                            param("at", a.requestedAt), param("expires", a.expiresAt), param("request", a.request)),
                    "id", "session", "seq", "key", "by", "at", "expires", "request");
        }

        /** Runs {@code sql}, which yields at most one whole row ({@code approvals.all}, in its order). */
        Optional<Approval> one(PrerenderedStatement sql, DSLContext ctx, Object... values) throws SQLException {
            try (PreparedStatement statement = sql.prepare(ctx, values); ResultSet r = statement.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Approval(new ApprovalId(PrerenderedStatement.read(r, 1, a.id)),
                        new SessionId(PrerenderedStatement.read(r, 2, a.sessionId)), r.getLong(3), r.getString(4),
                        r.getString(12), Approval.State.valueOf(r.getString(5)), new Actor(r.getString(6)),
                        PrerenderedStatement.read(r, 7, a.requestedAt), PrerenderedStatement.read(r, 8, a.expiresAt),
                        Optional.ofNullable(PrerenderedStatement.read(r, 9, a.decidedAt)),
                        Optional.ofNullable(r.getString(10)).map(Actor::new), Optional.ofNullable(r.getString(11))));
            }
        }
    }
}
