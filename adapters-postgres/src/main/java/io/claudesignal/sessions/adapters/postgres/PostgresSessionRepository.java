package io.claudesignal.sessions.adapters.postgres;

import static io.claudesignal.sessions.adapters.postgres.jooq.Tables.LEASES;
import static io.claudesignal.sessions.adapters.postgres.jooq.Tables.SESSIONS;

import io.claudesignal.sessions.adapters.jdbc.DaemonNames;
import io.claudesignal.sessions.adapters.jdbc.SqlSessions;
import io.claudesignal.sessions.adapters.postgres.jooq.tables.records.SessionsRecord;
import io.claudesignal.sessions.application.port.out.Change;
import io.claudesignal.sessions.application.port.out.ContextJson;
import io.claudesignal.sessions.application.port.out.WriteContext;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.Transition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jooq.Condition;
import org.jooq.impl.DSL;

/**
 * The persistence ports on one PostgreSQL schema, shared by any number of processes and hosts: the
 * shared SQL core ({@link SqlSessions}) with row locks, each write one READ COMMITTED transaction of
 * {@link PostgresDatabase}. Every change to a session or its lease is made under the session's row lock
 * ({@code SELECT … FOR UPDATE}), so the checks a write makes (status, version, the fencing lease) hold
 * when it commits. What is PostgreSQL's own is the crash recovery: it takes the locks of the abandoned
 * sessions with {@code SKIP LOCKED} and checks them again once it holds them, so two recoveries never
 * wait for each other and never recover a session twice.
 */
final class PostgresSessionRepository extends SqlSessions {

    /** Only to stamp recovered contexts: it keeps their text as it is (order of keys, numbers). */
    private static final ContextJson CONTEXT_JSON = new ContextJson();

    PostgresSessionRepository(PostgresDatabase db, DaemonNames names, PostgresChangeLog changes) {
        super(db, PostgresDialect.of(db), names, changes);
    }

    @Override
    public List<Transition> recoverAbandoned(Clock clock, Duration grace, Actor actor) {
        return db.write(ctx -> {
            Instant now = rules.leaseNow(ctx, clock);
            Instant at = now;
            Instant unownedBefore = now.minus(grace);
            Condition abandoned = SESSIONS.STATUS.eq(SessionStatus.ACTIVE.name()).and(DSL.or(
                    DSL.notExists(DSL.selectOne().from(LEASES).where(LEASES.SESSION_ID.eq(SESSIONS.ID)))
                            .and(SESSIONS.UPDATED_AT.le(unownedBefore)),
                    DSL.exists(DSL.selectOne().from(LEASES)
                            .where(LEASES.SESSION_ID.eq(SESSIONS.ID).and(LEASES.EXPIRES_AT.le(now))))));
            // Rows another transaction holds (another recovery, a claim, a write) are skipped, not waited for.
            List<UUID> locked = ctx.select(SESSIONS.ID).from(SESSIONS).where(abandoned)
                    .orderBy(SESSIONS.ID)
                    .forUpdate().skipLocked()
                    .fetch(SESSIONS.ID);
            if (locked.isEmpty()) {
                return List.of();
            }
            // Checked again under the locks, by a new statement that sees every change committed before
            // it: every change to a session or its lease is made under the session's lock.
            List<SessionsRecord> rows = ctx.selectFrom(SESSIONS)
                    .where(SESSIONS.ID.in(locked).and(abandoned))
                    .orderBy(SESSIONS.ID)
                    .fetch();
            List<Transition> made = new ArrayList<>();
            WriteContext write = new WriteContext(at, actor, Transition.CRASH_RECOVERY, Optional.empty());
            for (SessionsRecord row : rows) {
                SessionId id = new SessionId(row.getId());
                ctx.update(SESSIONS)
                        .set(SESSIONS.STATUS, SessionStatus.PAUSED.name())
                        .set(SESSIONS.VERSION, SESSIONS.VERSION.plus(1))
                        .set(SESSIONS.UPDATED_AT, DSL.greatest(SESSIONS.UPDATED_AT, DSL.val(at, SESSIONS.UPDATED_AT)))
                        .set(SESSIONS.CONTEXT, CONTEXT_JSON.withField(row.getContext(), Session.RECOVERED_AT, at.toString()))
                        .where(SESSIONS.ID.eq(row.getId()))
                        .execute();
                recordStatusChange(ctx, id, SessionStatus.ACTIVE, SessionStatus.PAUSED, write);
                made.add(new Transition(id, SessionStatus.ACTIVE, SessionStatus.PAUSED, at, Transition.CRASH_RECOVERY,
                        actor));
            }
            changes.recordAll(ctx, made.stream()
                    .map(t -> Change.Entry.transition(t.sessionId(), t.from(), t.to(), write)).toList());
            return made;
        });
    }
}
